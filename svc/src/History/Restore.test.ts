import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber } from "effect"
import { applicationRevision, layerRepos, Typed, versionRows } from "../../test/History.js"
import { TypedApplications, TypedConfigurations } from "../../test/Repos.js"
import type { ConfigurationId } from "../Domain/Ids.js"

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

const setup = (name: string) =>
  Effect.gen(function*() {
    const repo = yield* Typed
    const app = yield* (yield* TypedApplications).create({ name })
    const created = yield* repo.create({ application_id: app.id, name: "a", comments: "one", config: { v: 1 } }, null)
    yield* repo.update(created.id, { name: "a", comments: "two", config: { v: 2 } }, "any", null)
    yield* repo.update(created.id, { name: "a", comments: "three", config: { v: 3 } }, "any", null)
    return { repo, app, created }
  })

it.layer(layerRepos())("ConfigurationsRepo.restore", (it) => {
  it.effect("a deleted configuration comes back under its id, numbered on from its tombstone", () =>
    Effect.gen(function*() {
      const { app, created, repo } = yield* setup("restore-deleted")
      const applications = yield* TypedApplications
      yield* repo.remove(created.id, "any", null)
      expect((yield* applications.get(app.id)).configuration_ids).toEqual([])

      const { configuration, created: reinserted } = yield* repo.restore(created.id, 2, "any", "erin")
      expect(reinserted).toBe(true)
      expect(configuration).toMatchObject({
        id: created.id,
        application_id: app.id,
        name: "a",
        comments: "two",
        config: { v: 2 },
        version: 5
      })
      expect(configuration.created_at.epochMillis).toBeGreaterThan(created.created_at.epochMillis)
      expect(yield* (yield* TypedConfigurations).get(created.id)).toEqual(configuration)
      expect((yield* applications.get(app.id)).configuration_ids).toEqual([created.id])
      const versions = yield* repo.versions(created.id)
      expect(versions.map((v) => [v.version, v.revision, v.op, v.comments, v.actor])).toEqual([
        [5, 5, "restore", "two", "erin"],
        [4, 4, "delete", "three", null],
        [3, 3, "update", "three", null],
        [2, 2, "update", "two", null],
        [1, 1, "create", "one", null]
      ])
    }))

  it.effect("a live configuration is updated to the old version; If-Match names its version", () =>
    Effect.gen(function*() {
      const { app, created, repo } = yield* setup("restore-live")
      expect((yield* Effect.flip(repo.restore(created.id, 1, ["2"], null)))._tag).toBe("PreconditionFailed")
      const { configuration, created: reinserted } = yield* repo.restore(created.id, 1, ["3"], null)
      expect(reinserted).toBe(false)
      expect(configuration).toMatchObject({ id: created.id, comments: "one", config: { v: 1 }, version: 4 })
      expect(configuration.created_at).toEqual(created.created_at)
      expect(yield* applicationRevision(app.id)).toEqual({ revision: 4, pruned: 0 })
      expect((yield* repo.version(created.id, 4)).op).toBe("restore")
    }))

  it.effect("while deleted, If-Match names the tombstone's version", () =>
    Effect.gen(function*() {
      const { created, repo } = yield* setup("restore-tombstone-tag")
      yield* repo.remove(created.id, "any", null)
      expect((yield* Effect.flip(repo.restore(created.id, 3, ["3"], null)))._tag).toBe("PreconditionFailed")
      expect((yield* repo.restore(created.id, 3, ["4"], null)).created).toBe(true)
    }))

  it.effect("a name taken meanwhile is ConfigurationNameTaken and nothing is written", () =>
    Effect.gen(function*() {
      const { app, created, repo } = yield* setup("restore-name-taken")
      yield* repo.remove(created.id, "any", null)
      yield* repo.create({ application_id: app.id, name: "a", config: {} }, null)
      const live = yield* repo.create({ application_id: app.id, name: "b", config: {} }, null)
      yield* repo.update(live.id, { name: "c", config: {} }, "any", null)
      yield* repo.create({ application_id: app.id, name: "b", config: {} }, null)
      const before = yield* versionRows(app.id)
      const deleted = yield* Effect.flip(repo.restore(created.id, 1, "any", null))
      expect(deleted).toMatchObject({ _tag: "ConfigurationNameTaken", name: "a" })
      const renamed = yield* Effect.flip(repo.restore(live.id, 1, "any", null))
      expect(renamed).toMatchObject({ _tag: "ConfigurationNameTaken", name: "b" })
      expect(yield* versionRows(app.id)).toEqual(before)
      expect(yield* applicationRevision(app.id)).toEqual({ revision: before.length, pruned: 0 })
      expect((yield* Effect.flip((yield* TypedConfigurations).get(created.id)))._tag).toBe("ConfigurationNotFound")
    }))

  it.effect("unknown configurations and versions", () =>
    Effect.gen(function*() {
      const { created, repo } = yield* setup("restore-unknown")
      const unknown = "01ARZ3NDEKTSV4RRFFQ69G5FAW" as ConfigurationId
      expect((yield* Effect.flip(repo.restore(unknown, 1, "any", null)))._tag).toBe("ConfigurationNotFound")
      const missing = yield* Effect.flip(repo.restore(created.id, 9, "any", null))
      expect(missing).toMatchObject({ _tag: "VersionNotFound", version: 9 })
    }))

  it.effect("concurrent restores of a deleted configuration take turns: one brings it back, the others update it", () =>
    Effect.gen(function*() {
      const { app, created, repo } = yield* setup("restore-concurrent")
      for (const round of range(0, 4)) {
        const tombstone = 4 + 7 * round
        yield* repo.remove(created.id, "any", null)
        const restored = yield* Effect.all(range(1, 6).map((i) => repo.restore(created.id, 1 + (i % 3), "any", null)), {
          concurrency: "unbounded"
        })
        expect(restored.filter((r) => r.created)).toHaveLength(1)
        const versions = restored.map((r) => r.configuration.version).sort((a, b) => a - b)
        expect(versions).toEqual(range(tombstone + 1, tombstone + 6))
      }
      const rows = yield* versionRows(app.id)
      expect(rows.map((row) => [row.revision, row.version])).toEqual(range(1, 38).map((n) => [n, n]))

      yield* repo.remove(created.id, "any", null)
      const guarded = yield* Effect.all(
        range(1, 6).map(() => Effect.either(repo.restore(created.id, 1, ["39"], null))),
        { concurrency: "unbounded" }
      )
      expect(guarded.filter((r) => r._tag === "Right")).toHaveLength(1)
    }))

  it.effect("a restore racing a delete sees the tombstone or writes first: both succeed, versions consecutive", () =>
    Effect.gen(function*() {
      const { app, created, repo } = yield* setup("restore-delete-race")
      const rounds = 20
      for (const _ of range(1, rounds)) {
        yield* Effect.all([repo.remove(created.id, "any", null), repo.restore(created.id, 1, "any", null)], {
          concurrency: "unbounded"
        })
        yield* repo.restore(created.id, 2, "any", null)
      }
      const rows = yield* versionRows(app.id)
      expect(rows.map((row) => [row.revision, row.version])).toEqual(range(1, 3 + 3 * rounds).map((n) => [n, n]))
    }))

  it.effect("a restore racing the delete of its application is ConfigurationNotFound, never a defect", () =>
    Effect.gen(function*() {
      const { app, created, repo } = yield* setup("restore-application-race")
      yield* repo.remove(created.id, "any", null)
      const sql = yield* SqlClient.SqlClient
      const deleted = yield* Deferred.make<void>()
      const commit = yield* Deferred.make<void>()
      const deleting = yield* Effect.fork(sql.withTransaction(Effect.gen(function*() {
        yield* sql`DELETE FROM applications WHERE id = ${app.id}`
        yield* Deferred.succeed(deleted, undefined)
        yield* Deferred.await(commit)
      })))
      yield* Deferred.await(deleted)
      // The restore reads the version (the delete is not committed), then waits on the application's lock.
      const restoring = yield* Effect.fork(Effect.flip(repo.restore(created.id, 1, "any", null)))
      const waiting = sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`
      for (let i = 0; i < 500 && (yield* waiting)[0]!.n === 0; i++) {
        yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 20)))
      }
      yield* Deferred.succeed(commit, undefined)
      yield* Fiber.join(deleting)
      expect((yield* Fiber.join(restoring))._tag).toBe("ConfigurationNotFound")
    }))
})
