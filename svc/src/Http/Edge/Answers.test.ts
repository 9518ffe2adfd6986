import type { HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { exchange } from "../../../test/Requests.js"
import { ServiceTest } from "../../../test/ServiceTest.js"
import { makeClient } from "../Client.js"
import { renderedListResponse, renderedResponse } from "./Answers.js"

const bodyText = (response: HttpServerResponse.HttpServerResponse) =>
  response.body._tag === "Uint8Array" ? new TextDecoder().decode(response.body.body) : undefined

describe("renderedResponse", () => {
  it("sends the rendered JSON as it is, with its ETag and, for a 201, its Location", () => {
    const created = renderedResponse({ json: `{"id":"X"}`, etag: `"1"` }, { status: 201, location: "/api/v1/configurations/X" })
    expect(created.status).toBe(201)
    expect(created.headers).toMatchObject({ etag: `"1"`, location: "/api/v1/configurations/X" })
    expect(bodyText(created)).toBe(`{"id":"X"}`)
    expect(created.headers["content-type"] ?? (created.body as { contentType?: string }).contentType).toBe("application/json")
  })

  it("is a bodiless 304 while If-None-Match matches, 200 otherwise", () => {
    const notModified = renderedResponse({ json: `{}`, etag: `"2"` }, { ifNoneMatch: `"1", W/"2"` })
    expect(notModified.status).toBe(304)
    expect(notModified.body._tag).toBe("Empty")
    expect(notModified.headers.etag).toBe(`"2"`)
    expect(renderedResponse({ json: `{}`, etag: `"3"` }, { ifNoneMatch: `"2"` }).status).toBe(200)
  })

  it("a list is the items' JSON in order", () => {
    expect(bodyText(renderedListResponse([{ json: "1" }, { json: "{}" }]))).toBe("[1,{}]")
    expect(bodyText(renderedListResponse([]))).toBe("[]")
  })
})

it.layer(ServiceTest())("conditional requests over HTTP", (it) => {
  const setup = Effect.gen(function*() {
    const client = yield* makeClient()
    const app = yield* client.applications.create({ payload: { name: `etag-${Math.random().toString(36).slice(2)}` } })
    const cfg = yield* client.configurations.create({ payload: { application_id: app.id, name: "c", config: { v: 0 } } })
    return { app, cfg, client }
  })

  it.effect("every single-resource response carries a strong ETag that changes with the version", () =>
    Effect.gen(function*() {
      const { app, cfg } = yield* setup
      const got = yield* exchange("GET", `/api/v1/configurations/${cfg.id}`)
      expect(got.headers.etag).toBe(`"1"`)
      const put = yield* exchange("PUT", `/api/v1/configurations/${cfg.id}`, { json: { name: "c", config: { v: 1 } } })
      expect(put.headers.etag).toBe(`"2"`)
      const appTag = (yield* exchange("GET", `/api/v1/applications/${app.id}`)).headers.etag
      expect(appTag).toMatch(/^"1-[0-9a-f]{12}"$/)
      const renamed = yield* exchange("PUT", `/api/v1/applications/${app.id}`, { json: { name: `${app.name}-2` } })
      expect(renamed.headers.etag).toMatch(/^"2-/)
    }))

  it.effect("If-None-Match: 304 with no body while unchanged, 200 once it changes", () =>
    Effect.gen(function*() {
      const { app, cfg, client } = yield* setup
      const first = yield* exchange("GET", `/api/v1/configurations/${cfg.id}`)
      const again = yield* exchange("GET", `/api/v1/configurations/${cfg.id}`, { headers: { "if-none-match": first.headers.etag! } })
      expect([again.status, again.headers.etag, again.text]).toEqual([304, first.headers.etag, ""])
      yield* client.configurations.update({ path: { id: cfg.id }, payload: { name: "c", config: { v: 2 } } })
      const changed = yield* exchange("GET", `/api/v1/configurations/${cfg.id}`, { headers: { "if-none-match": first.headers.etag! } })
      expect(changed.status).toBe(200)
      expect(JSON.parse(changed.text).config).toEqual({ v: 2 })

      const appFirst = yield* exchange("GET", `/api/v1/applications/${app.id}`)
      const appSame = yield* exchange("GET", `/api/v1/applications/${app.id}`, { headers: { "if-none-match": appFirst.headers.etag! } })
      expect(appSame.status).toBe(304)
      yield* client.configurations.create({ payload: { application_id: app.id, name: "another", config: {} } })
      const appChanged = yield* exchange("GET", `/api/v1/applications/${app.id}`, {
        headers: { "if-none-match": appFirst.headers.etag! }
      })
      expect(appChanged.status).toBe(200)
      expect(JSON.parse(appChanged.text).configuration_ids).toHaveLength(2)
    }))

  it.effect("If-Match: a stale tag is 412 and changes nothing; the current one writes", () =>
    Effect.gen(function*() {
      const { app, cfg, client } = yield* setup
      const stale = yield* exchange("PUT", `/api/v1/configurations/${cfg.id}`, {
        headers: { "if-match": `"7"` },
        json: { name: "c", config: { v: "lost" } }
      })
      expect(stale.status).toBe(412)
      expect(JSON.parse(stale.text)._tag).toBe("PreconditionFailed")
      expect((yield* client.configurations.get({ path: { id: cfg.id }, urlParams: {} }))).toMatchObject({ version: 1, config: { v: 0 } })
      const weak = yield* exchange("PUT", `/api/v1/configurations/${cfg.id}`, {
        headers: { "if-match": `W/"1"` },
        json: { name: "c", config: { v: "weak" } }
      })
      expect(weak.status).toBe(412)
      const current = yield* exchange("PUT", `/api/v1/configurations/${cfg.id}`, {
        headers: { "if-match": `"1"` },
        json: { name: "c", config: { v: "kept" } }
      })
      expect(current.status).toBe(200)
      const staleDelete = yield* exchange("DELETE", `/api/v1/configurations/${cfg.id}`, { headers: { "if-match": `"1"` } })
      expect(staleDelete.status).toBe(412)
      const appTag = (yield* exchange("GET", `/api/v1/applications/${app.id}`)).headers.etag!
      const staleApp = yield* exchange("PUT", `/api/v1/applications/${app.id}`, {
        headers: { "if-match": appTag.replace(/^"1-/, `"9-`) },
        json: { name: "x" }
      })
      expect(staleApp.status).toBe(412)
      expect((yield* exchange("DELETE", `/api/v1/applications/${app.id}?cascade=true`, { headers: { "if-match": `"5-000000000000"` } })).status)
        .toBe(412)
      expect((yield* exchange("DELETE", `/api/v1/configurations/${cfg.id}`, { headers: { "if-match": current.headers.etag! } })).status)
        .toBe(204)
      const newTag = (yield* exchange("GET", `/api/v1/applications/${app.id}`)).headers.etag!
      expect(newTag).not.toBe(appTag)
      expect((yield* exchange("DELETE", `/api/v1/applications/${app.id}`, { headers: { "if-match": newTag } })).status).toBe(204)
      expect((yield* exchange("PUT", `/api/v1/configurations/${cfg.id}`, { headers: { "if-match": "*" }, json: { name: "c", config: {} } })).status)
        .toBe(404)
    }))

  it.effect("N concurrent PUTs with the same If-Match: exactly one 200, the rest 412, the row is the winner's", () =>
    Effect.gen(function*() {
      const { cfg, client } = yield* setup
      const n = 12
      const results = yield* Effect.all(
        Array.from({ length: n }, (_, i) =>
          exchange("PUT", `/api/v1/configurations/${cfg.id}`, {
            headers: { "if-match": `"1"` },
            json: { name: "c", comments: `writer ${i}`, config: { writer: i } }
          })),
        { concurrency: "unbounded" }
      )
      const winners = results.filter((r) => r.status === 200)
      expect(winners).toHaveLength(1)
      expect(results.filter((r) => r.status === 412)).toHaveLength(n - 1)
      const winner = JSON.parse(winners[0]!.text)
      const final = yield* client.configurations.get({ path: { id: cfg.id }, urlParams: {} })
      expect(final).toMatchObject({ version: 2, comments: winner.comments, config: winner.config })
    }))
})
