import { HttpClient, HttpClientRequest } from "@effect/platform"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { ServiceTest } from "../../../test/ServiceTest.js"
import { makeClient } from "../Client.js"

const answer = (method: "GET" | "POST", url: string) =>
  Effect.flatMap(HttpClient.HttpClient, (http) =>
    Effect.flatMap(http.execute(HttpClientRequest.make(method)(url)), (response) =>
      Effect.map(response.json, (json) => ({ status: response.status, json: json as Record<string, unknown> }))))

it.layer(ServiceTest({ HISTORY_KEEP_VERSIONS: "2" }))("history under HISTORY_KEEP_VERSIONS=2", (it) => {
  it.effect("versions retention removed are 410 VersionPruned to read, compare or restore; unknown ones stay 404", () =>
    Effect.gen(function*() {
      const client = yield* makeClient()
      const app = yield* client.applications.create({ payload: { name: "kept" } })
      const created = yield* client.configurations.create({
        payload: { application_id: app.id, name: "c", config: { v: 1 } }
      })
      for (const v of [2, 3, 4]) {
        yield* client.configurations.update({ path: { id: created.id }, payload: { name: "c", config: { v } } })
      }
      const kept = yield* client.history.versions({ path: { id: created.id }, urlParams: {} })
      expect(kept.map((v) => v.version)).toEqual([4, 3])
      const base = `/api/v1/configurations/${created.id}/versions`
      const requests = [
        ["GET", `${base}/2`],
        ["GET", `${base}/1/diff`],
        ["GET", `${base}/3/diff?to=2`],
        ["POST", `${base}/1/restore`]
      ] as const
      for (const [method, url] of requests) {
        const pruned = yield* answer(method, url)
        expect(pruned.status, url).toBe(410)
        expect(pruned.json._tag, url).toBe("VersionPruned")
      }
      expect((yield* answer("GET", `${base}/5`)).json._tag).toBe("VersionNotFound")
      expect((yield* client.history.diff({ path: { id: created.id, version: 3 }, urlParams: {} }))).toEqual([
        { op: "replace", path: "/v", value: 4 }
      ])
      expect((yield* client.configurations.get({ path: { id: created.id } , urlParams: {} })).version).toBe(4)
    }))

  it.effect("changes after a revision retention removed: 410 ChangesPruned with earliest_revision, wait or not", () =>
    Effect.gen(function*() {
      const client = yield* makeClient()
      const app = yield* client.applications.create({ payload: { name: "pruned changes" } })
      const created = yield* client.configurations.create({
        payload: { application_id: app.id, name: "c", config: {} }
      })
      for (const v of [2, 3]) {
        yield* client.configurations.update({ path: { id: created.id }, payload: { name: "c", config: { v } } })
      }
      const url = `/api/v1/applications/${app.id}/changes`
      for (const query of ["", "?after=0", "?after=0&wait=30"]) {
        const pruned = yield* answer("GET", `${url}${query}`)
        expect(pruned.status, query).toBe(410)
        expect(pruned.json, query).toMatchObject({ _tag: "ChangesPruned", id: app.id, earliest_revision: 2 })
      }
      const kept = yield* client.history.changes({ path: { id: app.id }, urlParams: { after: 1 } })
      expect(kept.changes.map((c) => c.revision)).toEqual([2, 3])
    }))
})
