import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { heardRevisions, layerRepos, Typed, versionRows, waitFor } from "../../test/History.js"
import { TypedApplications } from "../../test/Repos.js"
import { ApplicationsRepo } from "../Applications/Repo.js"
import { ConfigurationsRepo } from "../Configurations/Repo.js"
import type { Version } from "../Domain/Version.js"

/** "ok", or the tag of the error. */
const outcome = <A, E extends { readonly _tag: string }, R>(self: Effect.Effect<A, E, R>) =>
  Effect.match(self, { onFailure: (error): string => error._tag, onSuccess: () => "ok" })

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

it.layer(layerRepos())("revisions under concurrent writes", (it) => {
  it.scoped("20 concurrent creates, updates and deletes take the next 20 revisions, in commit order, no gap", () =>
    Effect.gen(function*() {
      const repo = yield* Typed
      const app = yield* (yield* TypedApplications).create({ name: "concurrent" })
      const heard = yield* heardRevisions(app.id)
      const initial = yield* Effect.forEach(range(0, 6), (i) =>
        repo.create({ application_id: app.id, name: `c${i}`, config: { initial: i } }, null))

      const updates = range(0, 11).map((i) => ({ id: initial[i % 3]!.id, config: { writer: i } }))
      const writes = [
        ...range(0, 3).map((i) => repo.create({ application_id: app.id, name: `n${i}`, config: { created: i } }, "w")),
        ...updates.map(({ config, id }, i) => repo.update(id, { name: `c${i % 3}`, config }, "any", `u${i}`)),
        ...range(3, 6).map((i) => Effect.as(repo.remove(initial[i]!.id, "any", "d"), initial[i]!))
      ]
      const results = yield* Effect.all(writes, { concurrency: "unbounded" })

      // The feed's readings are snapshots, each holding a prefix of the revisions only if they were assigned in commit order.
      expect(yield* waitFor(() => heard.length >= 27)).toBe(true)
      expect(heard).toEqual(range(1, 27))
      const rows = yield* versionRows(app.id)
      expect(rows.map((row) => row.revision)).toEqual(range(1, 27))
      expect((yield* repo.changes(app.id)).revision).toBe(27)

      const byConfiguration = new Map<string, Array<{ version: number; revision: number }>>()
      for (const row of rows) {
        byConfiguration.set(row.configuration_id, [...byConfiguration.get(row.configuration_id) ?? [], row])
      }
      for (const [id, versions] of byConfiguration) {
        // In revision order each configuration's versions run 1, 2, 3 … : revision order is its commit order.
        expect(versions.map((v) => v.version), id).toEqual(range(1, versions.length))
      }
      expect(initial.map((c) => byConfiguration.get(c.id)!.length)).toEqual([5, 5, 5, 2, 2, 2, 2])

      // Each acknowledged update is the version it answered with, as it wrote it.
      const acknowledged = results.slice(4, 16)
      for (const [i, configuration] of acknowledged.entries()) {
        const version = yield* repo.version(configuration.id, configuration.version)
        expect(version).toMatchObject({ op: "update", config: updates[i]!.config, actor: `u${i}` })
      }
      for (const id of initial.slice(0, 3).map((c) => c.id)) {
        expect(acknowledged.filter((c) => c.id === id).map((c) => c.version).sort()).toEqual([2, 3, 4, 5])
      }
      const changes = (yield* repo.changes(app.id, { after: 7 })).changes
      expect(changes.map((c) => c.revision)).toEqual(range(8, 27))
      expect(changes.filter((c) => c.op === "delete").map((c) => c.configuration_id).sort())
        .toEqual(initial.slice(3).map((c) => c.id).sort())
    }))

  it.scoped("a cascade racing creates and updates: no deadlock, every revision announced once, in order", () =>
    Effect.gen(function*() {
      const repo = yield* Typed
      const applications = yield* ApplicationsRepo
      for (const round of range(1, 5)) {
        const app = yield* (yield* TypedApplications).create({ name: `cascade-race-${round}` })
        const heard = yield* heardRevisions(app.id)
        const configurations = yield* Effect.forEach(range(0, 4), (i) =>
          repo.create({ application_id: app.id, name: `c${i}`, config: {} }, null))
        // Created while the cascade runs, then updated: its writer may hold it while waiting for the application.
        const lateWriter = (i: number) =>
          repo.create({ application_id: app.id, name: `late${i}`, config: {} }, null).pipe(
            Effect.flatMap((c) => outcome(repo.update(c.id, { name: c.name, config: { late: i } }, "any", null))),
            Effect.map((update) => ["ok", update]),
            Effect.catchAll((error) => Effect.succeed([error._tag]))
          )
        const [cascade, late, ...updates] = yield* Effect.all([
          outcome(applications.remove(app.id, { cascade: true, actor: "cascade" })),
          Effect.all(range(0, 2).map(lateWriter), { concurrency: "unbounded" }),
          ...configurations.map((c) => outcome(repo.update(c.id, { name: c.name, config: { round } }, "any", null)))
        ], { concurrency: "unbounded" })
        const creates = late.map(([create]) => create!)
        const lateUpdates = late.flatMap(([, update]) => update === undefined ? [] : [update])
        expect(["ok", "ApplicationHasConfigurations"]).toContain(cascade)
        expect(creates.every((o) => o === "ok" || o === "UnknownApplication"), creates.join()).toBe(true)
        for (const o of [...updates, ...lateUpdates]) expect(["ok", "ConfigurationNotFound"]).toContain(o)
        const written = [...creates, ...updates, ...lateUpdates].filter((o) => o === "ok").length
        const removed = cascade === "ok" ? 5 + creates.filter((o) => o === "ok").length : 0
        expect(yield* waitFor(() => heard.length >= 5 + written + removed)).toBe(true)
        expect(heard).toEqual(range(1, 5 + written + removed))
      }
    }))

  it.scoped("a cascade delete writes one delete version per configuration, each with its own revision", () =>
    Effect.gen(function*() {
      const repo = yield* Typed
      const applications = yield* ApplicationsRepo
      const app = yield* (yield* TypedApplications).create({ name: "cascade" })
      const heard = yield* heardRevisions(app.id)
      const configurations = yield* Effect.forEach(range(0, 2), (i) =>
        repo.create({ application_id: app.id, name: `c${i}`, comments: `#${i}`, config: { i } }, null))
      const stale = yield* Effect.flip(
        applications.remove(app.id, { cascade: true, precondition: ["1-0"], actor: "x" })
      )
      expect(stale._tag).toBe("PreconditionFailed")
      expect((yield* versionRows(app.id)).map((row) => row.revision)).toEqual([1, 2, 3])

      // Inside the cascade's transaction, before the application goes: one tombstone per configuration.
      const sql = yield* SqlClient.SqlClient
      const inside: Array<ReadonlyArray<Version>> = []
      yield* sql.withTransaction(Effect.gen(function*() {
        yield* (yield* ConfigurationsRepo).removeAllOf(app.id, "peek")
        inside.push(...yield* Effect.forEach(configurations, (c) => repo.versions(c.id)))
        return yield* Effect.fail("roll back" as const)
      })).pipe(Effect.catchIf((error) => error === "roll back", () => Effect.void))
      expect(inside.map((versions) => versions.map((v) => [v.version, v.revision, v.op, v.actor]))).toEqual([
        [[2, 4, "delete", "peek"], [1, 1, "create", null]],
        [[2, 5, "delete", "peek"], [1, 2, "create", null]],
        [[2, 6, "delete", "peek"], [1, 3, "create", null]]
      ])
      expect(inside.map((versions) => versions[0]).map((v) => [v!.name, v!.comments, v!.config]))
        .toEqual(configurations.map((c) => [c.name, c.comments, c.config]))
      expect((yield* repo.changes(app.id)).revision).toBe(3)

      const tag = (yield* applications.get(app.id)).etag.slice(1, -1)
      yield* applications.remove(app.id, { cascade: true, precondition: [tag], actor: "dave" })
      // The tombstones go with the application when it commits; their revisions are announced all the same.
      expect(yield* waitFor(() => heard.length >= 6)).toBe(true)
      expect(heard).toEqual([1, 2, 3, 4, 5, 6])
      expect(yield* versionRows(app.id)).toEqual([])
      for (const c of configurations) {
        expect((yield* Effect.flip(repo.versions(c.id)))._tag).toBe("ConfigurationNotFound")
      }
    }))
})
