import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { applicationRevision, layerRepos, Typed, versionRows } from "../../test/History.js"
import { TypedApplications } from "../../test/Repos.js"

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

it.layer(layerRepos(2))("retention keeping 2 versions per configuration", (it) => {
  it.effect("old versions go, the latest stays; what went is 410 and the feed says where it is whole again", () =>
    Effect.gen(function*() {
      const repo = yield* Typed
      const app = yield* (yield* TypedApplications).create({ name: "retention" })
      const a = yield* repo.create({ application_id: app.id, name: "a", config: { v: 1 } }, null)
      const b = yield* repo.create({ application_id: app.id, name: "b", config: {} }, null)
      yield* repo.update(a.id, { name: "a", config: { v: 2 } }, "any", null)
      expect(yield* applicationRevision(app.id)).toEqual({ revision: 3, pruned: 0 })
      yield* repo.update(a.id, { name: "a", config: { v: 3 } }, "any", null)
      expect((yield* repo.versions(a.id)).map((v) => [v.version, v.revision])).toEqual([[3, 4], [2, 3]])
      expect(yield* applicationRevision(app.id)).toEqual({ revision: 4, pruned: 1 })
      expect(yield* Effect.flip(repo.version(a.id, 1))).toMatchObject({ _tag: "VersionPruned", id: a.id, version: 1 })
      expect((yield* Effect.flip(repo.version(a.id, 4)))._tag).toBe("VersionNotFound")

      expect(yield* Effect.flip(repo.changes(app.id))).toMatchObject({ _tag: "ChangesPruned", earliest_revision: 2 })
      expect((yield* repo.changes(app.id, { after: 1 })).changes.map((c) => c.revision)).toEqual([2, 3, 4])

      yield* repo.remove(a.id, "any", "zoe")
      expect((yield* repo.versions(a.id)).map((v) => [v.version, v.op])).toEqual([[4, "delete"], [3, "update"]])
      expect(yield* applicationRevision(app.id)).toEqual({ revision: 5, pruned: 3 })
      const pruned = yield* Effect.flip(repo.restore(a.id, 2, "any", null))
      expect(pruned).toMatchObject({ _tag: "VersionPruned", version: 2 })
      expect(yield* applicationRevision(app.id)).toEqual({ revision: 5, pruned: 3 })
      const restored = yield* repo.restore(a.id, 3, "any", null)
      expect(restored.configuration).toMatchObject({ version: 5, config: { v: 3 } })
      expect((yield* repo.versions(a.id)).map((v) => [v.version, v.op])).toEqual([[5, "restore"], [4, "delete"]])
      expect(yield* applicationRevision(app.id)).toEqual({ revision: 6, pruned: 4 })

      // A configuration's own history decides: b's only version stays whatever the others do.
      expect((yield* repo.versions(b.id)).map((v) => v.version)).toEqual([1])
      expect((yield* Effect.flip(repo.changes(app.id, { after: 3 })))._tag).toBe("ChangesPruned")
      expect((yield* repo.changes(app.id, { after: 4 })).changes.map((c) => [c.revision, c.op])).toEqual([
        [5, "delete"],
        [6, "restore"]
      ])
    }))

  it.effect("concurrent updates of one configuration leave exactly the newest 2", () =>
    Effect.gen(function*() {
      const repo = yield* Typed
      const app = yield* (yield* TypedApplications).create({ name: "retention-concurrent" })
      const a = yield* repo.create({ application_id: app.id, name: "a", config: {} }, null)
      yield* Effect.all(range(1, 12).map((i) => repo.update(a.id, { name: "a", config: { i } }, "any", null)), {
        concurrency: "unbounded"
      })
      expect((yield* versionRows(app.id)).map((row) => [row.revision, row.version])).toEqual([[12, 12], [13, 13]])
      expect(yield* applicationRevision(app.id)).toEqual({ revision: 13, pruned: 11 })
    }))
})
