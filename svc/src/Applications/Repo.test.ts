import { SqlClient } from "@effect/sql"
import { expect, it, vi } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import pg from "pg"
import { ConfigurationsRepo } from "../Configurations/Repo.js"
import { ApplicationId } from "../Domain/Ids.js"
import { layerTestDatabase } from "../Testing/TestDatabase.js"
import { ApplicationsRepo } from "./Repo.js"
import { TypedApplications, TypedConfigurations } from "../../test/Repos.js"

const Repos = Layer.mergeAll(ApplicationsRepo.Default, ConfigurationsRepo.Default).pipe(
  Layer.provideMerge(layerTestDatabase)
)

it.layer(Repos)("ApplicationsRepo", (it) => {
  it.effect("create, get, update and remove round-trip through SQL", () =>
    Effect.gen(function*() {
      const repo = yield* TypedApplications
      const created = yield* repo.create({ name: "repo-app", comments: "c" })
      expect(created).toMatchObject({ name: "repo-app", comments: "c", version: 1, configuration_ids: [] })
      expect(yield* repo.get(created.id)).toEqual(created)
      const updated = yield* repo.update(created.id, { name: "repo-app-2" })
      expect(updated).toMatchObject({ name: "repo-app-2", comments: null, version: 2 })
      yield* repo.remove(created.id, { cascade: false, actor: null })
      expect((yield* Effect.flip(repo.get(created.id)))._tag).toBe("ApplicationNotFound")
      expect((yield* Effect.flip(repo.update(created.id, { name: "x" })))._tag).toBe("ApplicationNotFound")
      const gone = yield* Effect.flip(repo.remove(created.id, { cascade: true, actor: null }))
      expect(gone._tag).toBe("ApplicationNotFound")
    }))

  it.effect("an application with its configuration_ids is one statement", () =>
    Effect.gen(function*() {
      const repo = yield* TypedApplications
      const configurations = yield* TypedConfigurations
      const app = yield* repo.create({ name: "one-trip" })
      const c = yield* configurations.create({ application_id: app.id, name: "c", config: {} }, null)
      const queries = vi.spyOn(pg.Client.prototype, "query")
      let statements: Array<unknown> = []
      const fetched = yield* repo.get(app.id).pipe(
        Effect.ensuring(Effect.sync(() => {
          // Not part of the read: a new connection's session settings, and the change feed's own
          // LISTEN, ticks, heartbeats and readings of the change log, on connections of their own.
          statements = queries.mock.calls.map(([query]) => query).filter((query) => {
            const text = typeof query === "string" ? query : (query as { text?: string } | undefined)?.text ?? ""
            return !/^\s*(SET |LISTEN |SELECT pg_notify\(|SELECT 1$|SELECT pg_current_snapshot\(\)|DELETE FROM change_log)/.test(text)
          })
          queries.mockRestore()
        }))
      )
      expect(fetched.configuration_ids).toEqual([c.id])
      expect(statements.map((query) => JSON.stringify(query).slice(0, 200))).toHaveLength(1)
    }))

  it.effect("concurrent creates of one name: exactly one wins, the rest are ApplicationNameTaken", () =>
    Effect.gen(function*() {
      const repo = yield* TypedApplications
      const results = yield* Effect.all(
        Array.from({ length: 8 }, () => Effect.either(repo.create({ name: "race" }))),
        { concurrency: "unbounded" }
      )
      const wins = results.filter(Either.isRight)
      const losses = results.filter(Either.isLeft)
      expect(wins).toHaveLength(1)
      expect(losses.map((l) => l.left._tag)).toEqual(Array(7).fill("ApplicationNameTaken"))
      const all = yield* repo.list()
      expect(all.filter((a) => a.name === "race")).toHaveLength(1)
    }))

  it.effect("concurrent renames onto one name: exactly one wins", () =>
    Effect.gen(function*() {
      const repo = yield* TypedApplications
      const apps = yield* Effect.all(Array.from({ length: 5 }, (_, i) => repo.create({ name: `rename-race-${i}` })))
      const results = yield* Effect.all(
        apps.map((a) => Effect.either(repo.update(a.id, { name: "rename-race-target" }))),
        { concurrency: "unbounded" }
      )
      expect(results.filter(Either.isRight)).toHaveLength(1)
      expect(results.filter(Either.isLeft).map((l) => l.left._tag)).toEqual(Array(4).fill("ApplicationNameTaken"))
    }))

  it.effect("remove refuses while configurations exist; cascade removes both in one statement", () =>
    Effect.gen(function*() {
      const repo = yield* TypedApplications
      const configurations = yield* TypedConfigurations
      const app = yield* repo.create({ name: "parent-repo" })
      const c = yield* configurations.create({ application_id: app.id, name: "child", config: { x: 1 } }, null)
      const refused = yield* Effect.flip(repo.remove(app.id, { cascade: false, actor: null }))
      expect(refused._tag).toBe("ApplicationHasConfigurations")
      expect((yield* configurations.get(c.id)).id).toBe(c.id)
      yield* repo.remove(app.id, { cascade: true, actor: null })
      expect((yield* Effect.flip(configurations.get(c.id)))._tag).toBe("ConfigurationNotFound")
    }))

  it.effect("list pages by id with limit and after", () =>
    Effect.gen(function*() {
      const repo = yield* TypedApplications
      const before = (yield* repo.list()).length
      const made = yield* Effect.all(Array.from({ length: 3 }, (_, i) => repo.create({ name: `page-${i}` })))
      const all = yield* repo.list()
      expect(all).toHaveLength(before + 3)
      expect(all.map((a) => a.id)).toEqual(all.map((a) => a.id).sort())
      const page = yield* repo.list({ limit: 2, after: made[0]!.id })
      expect(page.map((a) => a.id)).toEqual(all.filter((a) => a.id > made[0]!.id).slice(0, 2).map((a) => a.id))
    }))

  it.effect("the database itself rejects malformed ids and over-long names", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const badId = yield* Effect.flip(sql`INSERT INTO applications (id, name) VALUES ('not-a-ulid', 'x')`)
      expect(String((badId.cause as { code?: string }).code)).toBe("23514")
      const lower = yield* Effect.flip(
        sql`INSERT INTO applications (id, name) VALUES (${ApplicationId.make("01ARZ3NDEKTSV4RRFFQ69G5FAV").toLowerCase()}, 'y')`
      )
      expect(String((lower.cause as { code?: string }).code)).toBe("23514")
      const long = yield* Effect.flip(
        sql`INSERT INTO applications (id, name) VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FAV', ${"n".repeat(257)})`
      )
      expect(String((long.cause as { code?: string }).code)).toBe("22001")
    }))
})
