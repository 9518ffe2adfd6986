import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { layerRepos, Typed } from "../../test/History.js"
import { expectShape } from "../../test/RenderedShape.js"
import { TypedApplications } from "../../test/Repos.js"
import { ApplicationsRepo } from "../Applications/Repo.js"
import { ConfigurationsRepo } from "../Configurations/Repo.js"
import { Configuration } from "../Domain/Configuration.js"
import type { ApplicationId } from "../Domain/Ids.js"
import { Change } from "../Domain/Version.js"
import { WatchRepo } from "./Repo.js"

const missing = "01ARZ3NDEKTSV4RRFFQ69G5FAV" as ApplicationId
const changeFields = ["revision", "configuration_id", "name", "version", "op", "actor", "created_at"]

const setup = (name: string) =>
  Effect.gen(function*() {
    const app = yield* (yield* TypedApplications).create({ name })
    return { app, repo: yield* WatchRepo, typed: yield* Typed, configurations: yield* ConfigurationsRepo }
  })

it.layer(WatchRepo.Default.pipe(Layer.provideMerge(layerRepos(4))))("WatchRepo", (it) => {
  it.effect("changes carry the configuration each write left, rendered as GET renders it; a delete carries none", () =>
    Effect.gen(function*() {
      const { app, configurations, repo, typed } = yield* setup("watch-events")
      const created = yield* configurations.create({ application_id: app.id, name: "a", config: { v: 1 } }, "ann")
      const updated = yield* configurations.update(created.id, { name: "b", comments: "two", config: { v: 2 } }, "any", null)
      yield* configurations.remove(created.id, "any", null)
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 10)))
      const restored = yield* configurations.restore(created.id, 1, "any", null)
      const page = yield* repo.events(app.id, 0, 10)
      expect(page?._tag).toBe("Changes")
      const events = page!._tag === "Changes" ? page!.changes : []
      expect(events.map((e) => e.revision)).toEqual([1, 2, 3, 4])
      const parsed = events.map((e) => JSON.parse(e.json))
      const listed = (yield* typed.changes(app.id)).changes
      for (const [i, event] of parsed.entries()) {
        expect(Object.keys(event)).toEqual(i === 2 ? changeFields : [...changeFields, "configuration"])
        expect(event.revision).toBe(listed[i]!.revision)
        expect(event.op).toBe(listed[i]!.op)
        const { configuration, ...change } = event
        expectShape(Change, JSON.stringify(change))
        if (configuration !== undefined) expectShape(Configuration, JSON.stringify(configuration))
      }
      expect(parsed[0].configuration).toEqual(JSON.parse(created.json))
      expect(events[1]!.json).toContain(`"configuration":${updated.json}`)
      expect(events[3]!.json).toContain(`"configuration":${restored.configuration.json}`)
      // Brought back, it is created anew; before the delete it was created when it first was.
      expect(parsed[3].configuration.created_at).not.toBe(parsed[0].configuration.created_at)
      expect(parsed[1].configuration.created_at).toBe(parsed[0].configuration.created_at)

      expect((yield* repo.events(app.id, 2, 1))).toMatchObject({ _tag: "Changes", current: 4, changes: [{ revision: 3 }] })
      expect((yield* repo.events(app.id, 4, 10))).toMatchObject({ _tag: "Changes", current: 4, changes: [] })
      expect(yield* repo.events(missing, 0, 10)).toBeUndefined()
      expect(yield* repo.revision(app.id)).toBe(4)
      expect(yield* repo.revision(missing)).toBeUndefined()
    }))

  it.effect("changes retention removed: Pruned with the earliest kept revision", () =>
    Effect.gen(function*() {
      const { app, configurations, repo } = yield* setup("watch-pruned")
      const c = yield* configurations.create({ application_id: app.id, name: "a", config: {} }, null)
      for (let v = 2; v <= 6; v++) yield* configurations.update(c.id, { name: "a", config: { v } }, "any", null)
      expect(yield* repo.events(app.id, 1, 10)).toEqual({ _tag: "Pruned", current: 6, earliest: 3 })
      const kept = yield* repo.events(app.id, 2, 10)
      expect(kept?._tag === "Changes" && kept.changes.map((e) => e.revision)).toEqual([3, 4, 5, 6])
    }))

  it.effect("a snapshot: the revision, the application and its configurations as their reads answer them", () =>
    Effect.gen(function*() {
      const { app, configurations, repo } = yield* setup("watch-snapshot")
      expect(JSON.parse((yield* repo.snapshot(app.id)).json).configurations).toEqual([])
      const one = yield* configurations.create({ application_id: app.id, name: "one", config: { a: [1] } }, null)
      const two = yield* configurations.create({ application_id: app.id, name: "two", config: {} }, null)
      const snapshot = yield* repo.snapshot(app.id)
      expect(snapshot.revision).toBe(2)
      expect(JSON.parse(snapshot.json)).toEqual({
        revision: 2,
        application: JSON.parse((yield* (yield* ApplicationsRepo).get(app.id)).json),
        configurations: [JSON.parse(one.json), JSON.parse(two.json)]
      })
      expect((yield* Effect.flip(repo.snapshot(missing)))._tag).toBe("ApplicationNotFound")
    }))

  it.effect("by name: the application, and the configuration with its application's id", () =>
    Effect.gen(function*() {
      const { app, configurations, repo } = yield* setup("watch by/name ✓")
      const c = yield* configurations.create({ application_id: app.id, name: "prod/eu", config: {} }, null)
      expect((yield* repo.applicationNamed("watch by/name ✓")).id).toBe(app.id)
      expect(yield* repo.configurationNamed("watch by/name ✓", "prod/eu")).toEqual({ ...c, application_id: app.id })
      expect((yield* Effect.flip(repo.applicationNamed("nobody")))._tag).toBe("ApplicationNameNotFound")
      expect((yield* Effect.flip(repo.configurationNamed("nobody", "prod/eu")))._tag).toBe("ApplicationNameNotFound")
      expect((yield* Effect.flip(repo.configurationNamed("watch by/name ✓", "x")))._tag).toBe("ConfigurationNameNotFound")
    }))
})
