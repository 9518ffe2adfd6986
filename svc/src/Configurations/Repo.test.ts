import { expect, it } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import { ApplicationsRepo } from "../Applications/Repo.js"
import type { ApplicationId, ConfigurationId } from "../Domain/Ids.js"
import { layerTestDatabase } from "../Testing/TestDatabase.js"
import { ConfigurationsRepo } from "./Repo.js"
import { TypedApplications, TypedConfigurations } from "../../test/Repos.js"

const Repos = Layer.mergeAll(ApplicationsRepo.Default, ConfigurationsRepo.Default).pipe(
  Layer.provideMerge(layerTestDatabase)
)

const newApp = (name: string) => Effect.flatMap(TypedApplications, (repo) => repo.create({ name }))

it.layer(Repos)("ConfigurationsRepo", (it) => {
  it.effect("create, get, listByApplication, update and remove round-trip", () =>
    Effect.gen(function*() {
      const repo = yield* TypedConfigurations
      const app = yield* newApp("cfg-app")
      const input = { application_id: app.id, name: "a", comments: "x", config: { k: [1, { v: null }] } }
      const created = yield* repo.create(input, null)
      expect(created).toMatchObject({ application_id: app.id, name: "a", comments: "x", config: { k: [1, { v: null }] }, version: 1 })
      expect(yield* repo.get(created.id)).toEqual(created)
      expect(yield* repo.listByApplication(app.id)).toEqual([created])
      const updated = yield* repo.update(created.id, { name: "b", config: { k: "v" } }, "any", null)
      expect(updated).toMatchObject({ name: "b", comments: null, config: { k: "v" }, version: 2 })
      yield* repo.remove(created.id, "any", null)
      expect((yield* Effect.flip(repo.get(created.id)))._tag).toBe("ConfigurationNotFound")
      expect((yield* Effect.flip(repo.remove(created.id, "any", null)))._tag).toBe("ConfigurationNotFound")
      const missing = yield* Effect.flip(repo.update(created.id, { name: "c", config: {} }, "any", null))
      expect(missing._tag).toBe("ConfigurationNotFound")
    }))

  it.effect("listByApplication of an unknown application is ApplicationNotFound", () =>
    Effect.gen(function*() {
      const repo = yield* TypedConfigurations
      const error = yield* Effect.flip(repo.listByApplication("01ARZ3NDEKTSV4RRFFQ69G5FAV" as ApplicationId))
      expect(error._tag).toBe("ApplicationNotFound")
    }))

  it.effect("a foreign key violation is UnknownApplication; a changed application_id is refused", () =>
    Effect.gen(function*() {
      const repo = yield* TypedConfigurations
      const error = yield* Effect.flip(
        repo.create({ application_id: "01ARZ3NDEKTSV4RRFFQ69G5FAV" as ApplicationId, name: "x", config: {} }, null)
      )
      expect(error._tag).toBe("UnknownApplication")
      const app = yield* newApp("owner")
      const other = yield* newApp("not-owner")
      const created = yield* repo.create({ application_id: app.id, name: "x", config: { v: 1 } }, null)
      const moved = yield* Effect.flip(
        repo.update(created.id, { application_id: other.id, name: "x", config: { v: 2 } }, "any", null)
      )
      expect(moved._tag).toBe("ApplicationIdImmutable")
      expect((yield* repo.get(created.id)).config).toEqual({ v: 1 })
      const missing = yield* Effect.flip(
        repo.update(
          "01ARZ3NDEKTSV4RRFFQ69G5FAW" as ConfigurationId,
          { application_id: app.id, name: "x", config: {} },
          "any",
          null
        )
      )
      expect(missing._tag).toBe("ConfigurationNotFound")
    }))

  it.effect("concurrent creates of one name in one application: exactly one wins", () =>
    Effect.gen(function*() {
      const repo = yield* TypedConfigurations
      const app = yield* newApp("race-app")
      const results = yield* Effect.all(
        Array.from(
          { length: 8 },
          (_, i) => Effect.either(repo.create({ application_id: app.id, name: "same", config: { i } }, null))
        ),
        { concurrency: "unbounded" }
      )
      expect(results.filter(Either.isRight)).toHaveLength(1)
      expect(results.filter(Either.isLeft).map((l) => l.left._tag)).toEqual(Array(7).fill("ConfigurationNameTaken"))
      expect(yield* repo.listByApplication(app.id)).toHaveLength(1)
    }))

  it.effect("concurrent updates of one row: every one applies, version counts them all", () =>
    Effect.gen(function*() {
      const repo = yield* TypedConfigurations
      const app = yield* newApp("counter-app")
      const created = yield* repo.create({ application_id: app.id, name: "counter", config: {} }, null)
      yield* Effect.all(
        Array.from({ length: 10 }, (_, i) => repo.update(created.id, { name: "counter", config: { i } }, "any", null)),
        { concurrency: "unbounded" }
      )
      expect((yield* repo.get(created.id)).version).toBe(11)
    }))

  it.effect("text PostgreSQL cannot store is UnstorableText, not a defect, even past the API's checks", () =>
    Effect.gen(function*() {
      const repo = yield* TypedConfigurations
      const app = yield* newApp("nul-app")
      const inConfig = yield* Effect.flip(
        repo.create({ application_id: app.id, name: "n", config: { v: "a\u0000b" } }, null)
      )
      expect(inConfig._tag).toBe("UnstorableText")
      const inName = yield* Effect.flip(repo.create({ application_id: app.id, name: "a\u0000b", config: {} }, null))
      expect(inName._tag).toBe("UnstorableText")
      expect(yield* repo.listByApplication(app.id)).toEqual([])
    }))

  it.effect("a configuration deleted with its application cannot be re-created under it", () =>
    Effect.gen(function*() {
      const repo = yield* TypedConfigurations
      const applications = yield* TypedApplications
      const app = yield* newApp("short-lived")
      yield* applications.remove(app.id, { cascade: true, actor: null })
      const error = yield* Effect.flip(repo.create({ application_id: app.id, name: "late", config: {} }, null))
      expect(error._tag).toBe("UnknownApplication")
    }))
})
