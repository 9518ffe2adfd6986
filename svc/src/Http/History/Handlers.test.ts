import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import jsonPatch from "fast-json-patch"
import { exchange, type Exchanged } from "../../../test/Requests.js"
import { ServiceTest } from "../../../test/ServiceTest.js"
import { makeClient } from "../Client.js"
import type { ApplicationId, ConfigurationId } from "../../Domain/Ids.js"

const missing = "01ARZ3NDEKTSV4RRFFQ69G5FAW" as ConfigurationId

/** An application with one configuration written `updates` times after its create (config `{ n: 1 … }`). */
const written = (updates: number) =>
  Effect.gen(function*() {
    const client = yield* makeClient()
    const app = yield* client.applications.create({ payload: { name: `app-${Math.random().toString(36).slice(2)}` } })
    let configuration = yield* client.configurations.create({
      payload: { application_id: app.id, name: "main", comments: "v1", config: { n: 1 } }
    })
    for (let n = 2; n <= updates + 1; n++) {
      configuration = yield* client.configurations.update({
        path: { id: configuration.id },
        payload: { name: "main", comments: `v${n}`, config: { n } }
      })
    }
    return { client, app, configuration }
  })

const countVersions = (id: ConfigurationId) =>
  Effect.flatMap(makeClient(), (client) =>
    Effect.map(client.history.versions({ path: { id }, urlParams: {} }), (versions) => versions.length))

/** `patch` applied to a copy of `config`. */
const applied = (config: object, patch: ReadonlyArray<unknown>) =>
  jsonPatch.applyPatch(structuredClone(config), patch as Array<jsonPatch.Operation>).newDocument

it.layer(ServiceTest())("history over HTTP", (it) => {
  it.effect("versions: newest first, each as written; pages by limit and before, linked while more remain", () =>
    Effect.gen(function*() {
      const { app, client, configuration } = yield* written(4)
      const all = yield* client.history.versions({ path: { id: configuration.id }, urlParams: {} })
      expect(all.map((v) => [v.version, v.revision, v.op, v.comments, v.config])).toEqual([
        [5, 5, "update", "v5", { n: 5 }],
        [4, 4, "update", "v4", { n: 4 }],
        [3, 3, "update", "v3", { n: 3 }],
        [2, 2, "update", "v2", { n: 2 }],
        [1, 1, "create", "v1", { n: 1 }]
      ])
      expect(all.every((v) => v.configuration_id === configuration.id && v.application_id === app.id)).toBe(true)
      expect(all.every((v) => v.actor === null && v.name === "main")).toBe(true)

      const pages: Array<Array<number>> = []
      let next: string | undefined = `/api/v1/configurations/${configuration.id}/versions?limit=2`
      while (next !== undefined) {
        const page: Exchanged = yield* exchange("GET", next)
        expect(page.status, page.text).toBe(200)
        pages.push((JSON.parse(page.text) as Array<{ version: number }>).map((v) => v.version))
        next = /^<([^>]+)>; rel="next"$/.exec(page.headers.link ?? "")?.[1]
      }
      expect(pages).toEqual([[5, 4], [3, 2], [1]])
      const [page, response] = yield* client.history.versions({
        path: { id: configuration.id },
        urlParams: { limit: 2, before: 4 },
        withResponse: true
      })
      expect(page.map((v) => v.version)).toEqual([3, 2])
      expect(response.headers.link).toBe(
        `</api/v1/configurations/${configuration.id}/versions?limit=2&before=2>; rel="next"`
      )
      const last = yield* client.history.versions({
        path: { id: configuration.id },
        urlParams: { limit: 5 },
        withResponse: true
      })
      expect(last[1].headers.link).toBeUndefined()
    }))

  it.effect("versions outlive a delete, whose version keeps the deleted state; an unknown id is 404", () =>
    Effect.gen(function*() {
      const { client, configuration } = yield* written(1)
      yield* client.configurations.delete({ path: { id: configuration.id } })
      const [tombstone] = yield* client.history.versions({ path: { id: configuration.id }, urlParams: { limit: 1 } })
      expect(tombstone).toMatchObject({ version: 3, op: "delete", name: "main", comments: "v2", config: { n: 2 } })
      const error = yield* Effect.flip(client.history.versions({ path: { id: missing }, urlParams: {} }))
      expect(error._tag).toBe("ConfigurationNotFound")
    }))

  it.effect("one version: as listed; 404 VersionNotFound past the latest, ConfigurationNotFound for unknown ids", () =>
    Effect.gen(function*() {
      const { client, configuration } = yield* written(2)
      const [, second] = yield* client.history.versions({ path: { id: configuration.id }, urlParams: {} })
      expect(yield* client.history.version({ path: { id: configuration.id, version: 2 } })).toEqual(second)
      const past = yield* Effect.flip(client.history.version({ path: { id: configuration.id, version: 4 } }))
      expect(past).toMatchObject({ _tag: "VersionNotFound", version: 4 })
      const unknown = yield* Effect.flip(client.history.version({ path: { id: missing, version: 1 } }))
      expect(unknown._tag).toBe("ConfigurationNotFound")
    }))

  it.effect("numbers in paths and queries are plain decimal digits in range; anything else is 400", () =>
    Effect.gen(function*() {
      const { app, configuration } = yield* written(1)
      const base = `/api/v1/configurations/${configuration.id}/versions`
      for (const bad of ["0", "-1", "+1", "1.0", "1e1", "0x1", " 1", "abc", "2147483648"]) {
        const encoded = encodeURIComponent(bad)
        for (const url of [`${base}/${encoded}`, `${base}?before=${encoded}`, `${base}/1/diff?to=${encoded}`]) {
          expect((yield* exchange("GET", url)).status, url).toBe(400)
        }
        expect((yield* exchange("POST", `${base}/${encoded}/restore`)).status, bad).toBe(400)
      }
      for (const url of [`${base}?limit=0`, `${base}?limit=1001`, `${base}?since=1`, `${base}/1/diff?from=1`]) {
        expect((yield* exchange("GET", url)).status, url).toBe(400)
      }
      const changes = `/api/v1/applications/${app.id}/changes`
      const queries = ["after=-1", "after=1.5", "after=9007199254740992", "limit=0", "limit=1001", "wait=0", "wait=61"]
      for (const query of queries) {
        const answer = yield* exchange("GET", `${changes}?${query}`)
        expect(answer.status, query).toBe(400)
        expect(JSON.parse(answer.text).message, query).toMatch(/must be an integer from/)
      }
      expect((yield* exchange("GET", `${base}/01`)).status).toBe(200)
    }))

  it.effect("diff: an RFC 6902 patch from one version's config to another's, or to the latest", () =>
    Effect.gen(function*() {
      const client = yield* makeClient()
      const app = yield* client.applications.create({ payload: { name: "diffs" } })
      const first = { keep: 1, drop: { deep: true }, list: [1, 2, 3], "a/b~c": "x", change: { to: "old" } }
      const second = { keep: 1, list: [1, 3], "a/b~c": "y", change: { to: "new" }, added: [null] }
      const third = { only: "this" }
      const created = yield* client.configurations.create({
        payload: { application_id: app.id, name: "d", config: first }
      })
      yield* client.configurations.update({ path: { id: created.id }, payload: { name: "d", config: second } })
      yield* client.configurations.update({ path: { id: created.id }, payload: { name: "d", config: third } })
      const id = created.id

      const [patch, response] = yield* client.history.diff({
        path: { id, version: 1 },
        urlParams: { to: 2 },
        withResponse: true
      })
      expect(response.headers["content-type"]).toBe("application/json-patch+json")
      expect(patch).toContainEqual({ op: "remove", path: "/drop" })
      expect(patch).toContainEqual({ op: "replace", path: "/a~1b~0c", value: "y" })
      expect(patch).toContainEqual({ op: "add", path: "/added", value: [null] })
      expect(applied(first, patch)).toEqual(second)

      const toLatest = yield* client.history.diff({ path: { id, version: 1 }, urlParams: {} })
      expect(applied(first, toLatest)).toEqual(third)
      const backwards = yield* client.history.diff({ path: { id, version: 3 }, urlParams: { to: 1 } })
      expect(applied(third, backwards)).toEqual(first)
      expect(yield* client.history.diff({ path: { id, version: 3 }, urlParams: {} })).toEqual([])

      const to = yield* Effect.flip(client.history.diff({ path: { id, version: 1 }, urlParams: { to: 9 } }))
      expect(to).toMatchObject({ _tag: "VersionNotFound", version: 9 })
      const from = yield* Effect.flip(client.history.diff({ path: { id, version: 9 }, urlParams: {} }))
      expect(from).toMatchObject({ _tag: "VersionNotFound", version: 9 })
      expect((yield* Effect.flip(client.history.diff({ path: { id: missing, version: 1 }, urlParams: {} })))._tag)
        .toBe("ConfigurationNotFound")
    }))

  it.effect("restore of a live configuration: 200 with it as GET returns it, a new version equal to the old one", () =>
    Effect.gen(function*() {
      const { client, configuration } = yield* written(2)
      const response = yield* exchange("POST", `/api/v1/configurations/${configuration.id}/versions/1/restore`, {
        headers: { "if-match": `"2", "3"` }
      })
      expect(response.status).toBe(200)
      expect(response.headers.etag).toBe(`"4"`)
      expect(response.headers.location).toBeUndefined()
      const restored = JSON.parse(response.text)
      expect(restored).toMatchObject({ id: configuration.id, comments: "v1", config: { n: 1 }, version: 4 })
      expect((yield* exchange("GET", `/api/v1/configurations/${configuration.id}`)).text).toBe(response.text)
      const [latest] = yield* client.history.versions({ path: { id: configuration.id }, urlParams: {} })
      expect(latest).toMatchObject({ version: 4, revision: 4, op: "restore", comments: "v1", config: { n: 1 } })
    }))

  it.effect("restore of a deleted configuration: 201 with Location, its old id, numbered on from its tombstone", () =>
    Effect.gen(function*() {
      const { app, client, configuration } = yield* written(1)
      yield* client.configurations.delete({ path: { id: configuration.id } })
      const [restored, response] = yield* client.history.restore({
        path: { id: configuration.id, version: 2 },
        withResponse: true
      })
      expect(response.status).toBe(201)
      expect(response.headers.location).toBe(`/api/v1/configurations/${configuration.id}`)
      expect(response.headers.etag).toBe(`"4"`)
      expect(restored).toMatchObject({ id: configuration.id, application_id: app.id, comments: "v2", config: { n: 2 } })
      expect(restored.version).toBe(4)
      expect(yield* client.configurations.get({ path: { id: configuration.id } , urlParams: {} })).toEqual(restored)
      expect((yield* client.applications.get({ path: { id: app.id } , urlParams: {} })).configuration_ids).toEqual([configuration.id])
      const ops = (yield* client.history.versions({ path: { id: configuration.id }, urlParams: {} })).map((v) => v.op)
      expect(ops).toEqual(["restore", "delete", "update", "create"])
    }))

  it.effect("restore with a stale If-Match is 412, and with a name taken meanwhile 409: nothing is written", () =>
    Effect.gen(function*() {
      const { app, client, configuration } = yield* written(1)
      const id = configuration.id
      const stale = yield* exchange("POST", `/api/v1/configurations/${id}/versions/1/restore`, { headers: { "if-match": `"1"` } })
      expect(stale.status).toBe(412)
      expect(JSON.parse(stale.text)._tag).toBe("PreconditionFailed")
      yield* client.configurations.update({ path: { id }, payload: { name: "renamed", config: { n: 3 } } })
      yield* client.configurations.create({ payload: { application_id: app.id, name: "main", config: {} } })
      const taken = yield* Effect.flip(client.history.restore({ path: { id, version: 1 } }))
      expect(taken).toMatchObject({ _tag: "ConfigurationNameTaken", name: "main" })
      expect(yield* client.configurations.get({ path: { id }, urlParams: {} })).toMatchObject({ name: "renamed", version: 3 })
      expect(yield* countVersions(id)).toBe(3)
      const changes = yield* client.history.changes({ path: { id: app.id }, urlParams: {} })
      expect(changes.revision).toBe(4)
      const missingVersion = yield* Effect.flip(client.history.restore({ path: { id, version: 7 } }))
      expect(missingVersion._tag).toBe("VersionNotFound")
      expect((yield* Effect.flip(client.history.restore({ path: { id: missing, version: 1 } })))._tag)
        .toBe("ConfigurationNotFound")
    }))

  it.effect("changes: every configuration write in revision order, after a revision, at most limit", () =>
    Effect.gen(function*() {
      const client = yield* makeClient()
      const app = yield* client.applications.create({ payload: { name: "changes" } })
      const a = yield* client.configurations.create({ payload: { application_id: app.id, name: "a", config: {} } })
      const b = yield* client.configurations.create({ payload: { application_id: app.id, name: "b", config: {} } })
      yield* client.configurations.update({ path: { id: a.id }, payload: { name: "a2", config: { x: 1 } } })
      yield* client.applications.update({ path: { id: app.id }, payload: { name: "changes, renamed" } })
      yield* client.configurations.delete({ path: { id: b.id } })
      yield* client.history.restore({ path: { id: b.id, version: 1 } })

      const all = yield* client.history.changes({ path: { id: app.id }, urlParams: {} })
      expect(all.revision).toBe(5)
      expect(all.changes.map((c) => [c.revision, c.configuration_id, c.name, c.version, c.op, c.actor])).toEqual([
        [1, a.id, "a", 1, "create", null],
        [2, b.id, "b", 1, "create", null],
        [3, a.id, "a2", 2, "update", null],
        [4, b.id, "b", 2, "delete", null],
        [5, b.id, "b", 3, "restore", null]
      ])
      const page = yield* client.history.changes({ path: { id: app.id }, urlParams: { after: 1, limit: 2 } })
      expect(page).toEqual({ revision: 5, changes: all.changes.slice(1, 3) })
      expect(yield* client.history.changes({ path: { id: app.id }, urlParams: { after: 5 } })).toEqual({
        revision: 5,
        changes: []
      })
      const unknown = yield* Effect.flip(
        client.history.changes({ path: { id: "01ARZ3NDEKTSV4RRFFQ69G5FAV" as ApplicationId }, urlParams: {} })
      )
      expect(unknown._tag).toBe("ApplicationNotFound")
    }))
})
