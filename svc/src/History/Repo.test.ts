import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { applicationRevision, layerRepos, Typed, versionRows, waitFor } from "../../test/History.js"
import { TypedApplications } from "../../test/Repos.js"
import { ApplicationsRepo } from "../Applications/Repo.js"
import { ChangeFeed } from "../ChangeFeed/ChangeFeed.js"
import type { ApplicationId, ConfigurationId } from "../Domain/Ids.js"
import { HistoryRepo } from "./Repo.js"

const unknownConfiguration = "01ARZ3NDEKTSV4RRFFQ69G5FAW" as ConfigurationId
const unknownApplication = "01ARZ3NDEKTSV4RRFFQ69G5FAV" as ApplicationId

const newApp = (name: string) => Effect.flatMap(TypedApplications, (repo) => repo.create({ name }))

it.layer(layerRepos())("HistoryRepo", (it) => {
  it.effect("each write appends one version with the application's next revision; versions outlive the delete", () =>
    Effect.gen(function*() {
      const repo = yield* Typed
      const app = yield* newApp("history-basic")
      const input = { application_id: app.id, name: "a", comments: "first", config: { n: 1 } }
      const created = yield* repo.create(input, null)
      const updated = yield* repo.update(created.id, { name: "b", config: { n: 2 } }, ["1"], "alice")
      expect(updated.version).toBe(2)
      const other = yield* repo.create({ application_id: app.id, name: "other", config: {} }, "bob")
      yield* repo.remove(created.id, ["2"], "carol")

      const versions = yield* repo.versions(created.id)
      expect(versions.map((v) => [v.version, v.revision, v.op, v.name, v.comments, v.config, v.actor])).toEqual([
        [3, 4, "delete", "b", null, { n: 2 }, "carol"],
        [2, 2, "update", "b", null, { n: 2 }, "alice"],
        [1, 1, "create", "a", "first", { n: 1 }, null]
      ])
      expect(versions.every((v) => v.configuration_id === created.id && v.application_id === app.id)).toBe(true)
      expect(yield* repo.version(created.id, 2)).toEqual(versions[1])
      expect(yield* repo.versions(created.id, { limit: 1 })).toEqual([versions[0]])
      expect(yield* repo.versions(created.id, { before: 3, limit: 1 })).toEqual([versions[1]])
      expect(yield* repo.versions(created.id, { before: 1 })).toEqual([])

      const changes = yield* repo.changes(app.id)
      expect(changes.revision).toBe(4)
      expect(changes.changes.map((c) => [c.revision, c.configuration_id, c.name, c.version, c.op, c.actor])).toEqual([
        [1, created.id, "a", 1, "create", null],
        [2, created.id, "b", 2, "update", "alice"],
        [3, other.id, "other", 1, "create", "bob"],
        [4, created.id, "b", 3, "delete", "carol"]
      ])
      expect((yield* repo.changes(app.id, { after: 2, limit: 1 })).changes.map((c) => c.revision)).toEqual([3])
      expect(yield* repo.changes(app.id, { after: 4 })).toMatchObject({ revision: 4, changes: [] })
      expect((yield* repo.changes(app.id, { after: 99 })).changes).toEqual([])
    }))

  it.effect("unknown configurations, versions and applications", () =>
    Effect.gen(function*() {
      const repo = yield* Typed
      const app = yield* newApp("history-unknown")
      const created = yield* repo.create({ application_id: app.id, name: "a", config: {} }, null)
      expect((yield* Effect.flip(repo.versions(unknownConfiguration)))._tag).toBe("ConfigurationNotFound")
      const page = yield* Effect.flip(repo.versions(unknownConfiguration, { before: 5 }))
      expect(page._tag).toBe("ConfigurationNotFound")
      expect((yield* Effect.flip(repo.version(unknownConfiguration, 1)))._tag).toBe("ConfigurationNotFound")
      const missing = yield* Effect.flip(repo.version(created.id, 2))
      expect(missing).toMatchObject({ _tag: "VersionNotFound", id: created.id, version: 2 })
      expect((yield* Effect.flip(repo.version(created.id, 0)))._tag).toBe("VersionNotFound")
      expect((yield* Effect.flip(repo.changes(unknownApplication)))._tag).toBe("ApplicationNotFound")
      expect(yield* repo.changes((yield* newApp("history-empty")).id)).toEqual({ revision: 0, changes: [] })
    }))

  it.effect("a failed write appends nothing and takes no revision", () =>
    Effect.gen(function*() {
      const repo = yield* Typed
      const app = yield* newApp("history-failures")
      const a = yield* repo.create({ application_id: app.id, name: "a", config: {} }, null)
      yield* repo.create({ application_id: app.id, name: "b", config: {} }, null)
      const failures = yield* Effect.all([
        Effect.flip(repo.update(a.id, { name: "a", config: { stale: true } }, ["7"], null)),
        Effect.flip(repo.remove(a.id, ["7"], null)),
        Effect.flip(repo.update(a.id, { name: "b", config: {} }, "any", null)),
        Effect.flip(repo.create({ application_id: app.id, name: "b", config: {} }, null)),
        Effect.flip(repo.update(unknownConfiguration, { name: "x", config: {} }, "any", null)),
        Effect.flip(repo.remove(unknownConfiguration, "any", null)),
        Effect.flip(repo.create({ application_id: app.id, name: "\u0000", config: {} }, null)),
        Effect.flip(repo.create({ application_id: unknownApplication, name: "x", config: {} }, null))
      ])
      expect(failures.map((e) => e._tag)).toEqual([
        "PreconditionFailed",
        "PreconditionFailed",
        "ConfigurationNameTaken",
        "ConfigurationNameTaken",
        "ConfigurationNotFound",
        "ConfigurationNotFound",
        "UnstorableText",
        "UnknownApplication"
      ])
      expect(yield* applicationRevision(app.id)).toEqual({ revision: 2, pruned: 0 })
      expect((yield* versionRows(app.id)).map((row) => row.revision)).toEqual([1, 2])
      const next = yield* repo.update(a.id, { name: "a", config: { ok: true } }, ["1"], null)
      expect(next.version).toBe(2)
      expect((yield* versionRows(app.id)).map((row) => [row.revision, row.version])).toEqual([[1, 1], [2, 1], [3, 2]])
    }))

  it.scoped("a configuration write announces its revision, and its application only when the set changes", () =>
    Effect.gen(function*() {
      const repo = yield* Typed
      const feed = yield* ChangeFeed
      expect(yield* waitFor(() => feed.trusted())).toBe(true)
      const heard: Array<string> = []
      yield* feed.subscribe({ change: (key) => heard.push(key), reset: () => {} })
      const app = yield* newApp("history-announced")
      const c = yield* repo.create({ application_id: app.id, name: "a", config: {} }, null)
      yield* repo.update(c.id, { name: "a", config: { v: 2 } }, "any", null)
      yield* (yield* TypedApplications).update(app.id, { name: "history-announced-2" })
      // Only this test's keys: a notification of an earlier test's write may still be on its way.
      const ours = () => heard.filter((key) => key.includes(app.id) || key.includes(c.id))
      expect(yield* waitFor(() => ours().length >= 7)).toBe(true)
      // A reading hands on revisions in revision order, the other keys in the order they were written.
      const revisions = ours().filter((key) => key.startsWith("r:"))
      expect(revisions).toEqual([`r:${app.id}:1`, `r:${app.id}:2`])
      expect(ours().filter((key) => !key.startsWith("r:"))).toEqual([
        `a:${app.id}`,
        ...[`c:${c.id}`, `a:${app.id}`],
        `c:${c.id}`,
        `a:${app.id}`
      ])
    }))

  it.effect("versions go with their application, and only then", () =>
    Effect.gen(function*() {
      const repo = yield* Typed
      const applications = yield* ApplicationsRepo
      const app = yield* newApp("history-goes")
      const a = yield* repo.create({ application_id: app.id, name: "a", config: {} }, null)
      yield* repo.remove(a.id, "any", null)
      expect(yield* versionRows(app.id)).toHaveLength(2)
      yield* applications.remove(app.id, { cascade: false, actor: null })
      expect(yield* versionRows(app.id)).toEqual([])
      expect((yield* Effect.flip(repo.versions(a.id)))._tag).toBe("ConfigurationNotFound")
      expect((yield* Effect.flip((yield* HistoryRepo).changes(app.id)))._tag).toBe("ApplicationNotFound")
    }))
})
