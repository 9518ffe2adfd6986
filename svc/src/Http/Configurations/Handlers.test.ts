import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { exchange } from "../../../test/Requests.js"
import { ServiceTest } from "../../../test/ServiceTest.js"
import { makeClient } from "../Client.js"
import type { ApplicationId, ConfigurationId } from "../../Domain/Ids.js"

const missingApp = "01ARZ3NDEKTSV4RRFFQ69G5FAV" as ApplicationId
const missing = "01ARZ3NDEKTSV4RRFFQ69G5FAW" as ConfigurationId

const setup = Effect.gen(function*() {
  const client = yield* makeClient()
  const app = yield* client.applications.create({ payload: { name: `app-${Math.random().toString(36).slice(2)}` } })
  return { client, app }
})

it.layer(ServiceTest())("configurations over HTTP", (it) => {
  it.effect("POST creates with 201 and Location; GET returns it", () =>
    Effect.gen(function*() {
      const { app, client } = yield* setup
      const config = { feature: { dark_mode: true }, retries: 3, hosts: ["a", "b"], none: null, "ünï cødé": "✓ 🚀" }
      const [created, response] = yield* client.configurations.create({
        payload: { application_id: app.id, name: "production", comments: "prod", config },
        withResponse: true
      })
      expect(response.status).toBe(201)
      expect(response.headers.location).toBe(`/api/v1/configurations/${created.id}`)
      expect(created).toMatchObject({ application_id: app.id, name: "production", comments: "prod", config, version: 1 })
      expect(yield* client.configurations.get({ path: { id: created.id }, urlParams: {} })).toEqual(created)
    }))

  it.effect("config round-trips keys exactly: no case transforms, arrays, deep nesting, numbers", () =>
    Effect.gen(function*() {
      const { app, client } = yield* setup
      const config = {
        camelCase: 1,
        snake_case: 2,
        "Mixed-Key With Spaces": 3,
        "": "empty key",
        "'; DROP TABLE configurations; --": "literal",
        nested: { deeper: { deepest: [1, [2, [3, { k: "v" }]]] } },
        float: 1.5,
        negative: -42,
        big: 12345678901234,
        bool: false,
        empty: {},
        list: []
      }
      const created = yield* client.configurations.create({ payload: { application_id: app.id, name: "keys", config } })
      const fetched = yield* client.configurations.get({ path: { id: created.id }, urlParams: {} })
      expect(fetched.config).toEqual(config)
    }))

  it.effect("POST: unknown application_id is 400, duplicate name within an application is 409", () =>
    Effect.gen(function*() {
      const { app, client } = yield* setup
      const unknown = yield* Effect.flip(
        client.configurations.create({ payload: { application_id: missingApp, name: "x", config: {} } })
      )
      expect(unknown._tag).toBe("UnknownApplication")
      yield* client.configurations.create({ payload: { application_id: app.id, name: "dup", config: {} } })
      const dup = yield* Effect.flip(
        client.configurations.create({ payload: { application_id: app.id, name: "dup", config: { a: 1 } } })
      )
      expect(dup._tag).toBe("ConfigurationNameTaken")
      const other = yield* client.applications.create({ payload: { name: `other-${app.id}` } })
      const sameNameElsewhere = yield* client.configurations.create({
        payload: { application_id: other.id, name: "dup", config: {} }
      })
      expect(sameNameElsewhere.name).toBe("dup")
    }))

  it.effect("POST: config must be an object; bad fields are 400 and nothing is stored", () =>
    Effect.gen(function*() {
      const { app, client } = yield* setup
      const bodies: Array<unknown> = [
        { application_id: app.id, name: "x", config: [] },
        { application_id: app.id, name: "x", config: "text" },
        { application_id: app.id, name: "x", config: null },
        { application_id: app.id, name: "x", config: 3 },
        { application_id: app.id, name: "x" },
        { application_id: app.id, name: "", config: {} },
        { application_id: app.id, name: "   ", config: {} },
        { application_id: app.id, name: "x".repeat(257), config: {} },
        { application_id: app.id, name: "x", comments: "c".repeat(1025), config: {} },
        { application_id: app.id, name: "x", comments: 5, config: {} },
        { application_id: "not-a-ulid", name: "x", config: {} },
        { name: "x", config: {} },
        { application_id: app.id, name: "nul\u0000", config: {} },
        { application_id: app.id, name: "x", comments: "nul\u0000", config: {} },
        { application_id: app.id, name: "x", config: { "key\u0000": 1 } },
        { application_id: app.id, name: "x", config: {}, unexpected: true },
        [],
        "string",
        null
      ]
      for (const body of bodies) {
        const response = yield* exchange("POST", "/api/v1/configurations", { json: body })
        expect(response.status, JSON.stringify(body)).toBe(400)
        expect(typeof response.json.message).toBe("string")
        expect(typeof response.json._tag).toBe("string")
      }
      expect(yield* client.applications.configurations({ path: { id: app.id } })).toEqual([])
    }))

  it.effect("names count characters, not UTF-16 units: 256 emoji fit", () =>
    Effect.gen(function*() {
      const { app, client } = yield* setup
      const name = "🚀".repeat(256)
      const created = yield* client.configurations.create({ payload: { application_id: app.id, name, config: {} } })
      expect(created.name).toBe(name)
    }))

  it.effect("config values PostgreSQL cannot store as sent are 400 naming the path, and nothing is stored", () =>
    Effect.gen(function*() {
      const { app, client } = yield* setup
      const cases: Array<[string, RegExp]> = [
        [`{"text":"a\\u0000b"}`, /\.text: must not contain NUL/],
        [`{"list":[1,"\\ud800"]}`, /\.list\[1\]: must be valid Unicode/],
        [`{"huge":1e400}`, /\.huge: number out of range/],
        ["[".repeat(0) + `{"deep":${"[".repeat(10_000)}${"]".repeat(10_000)}}`, /nested deeper than 10\d levels/]
      ]
      for (const [config, message] of cases) {
        const response = yield* exchange("POST", "/api/v1/configurations", {
          body: `{"application_id":"${app.id}","name":"bad","config":${config}}`
        })
        expect(response.status, config.slice(0, 40)).toBe(400)
        expect(response.json.message).toMatch(message)
      }
      expect(yield* client.applications.configurations({ path: { id: app.id } })).toEqual([])
    }))

  it.effect("PUT replaces name, comments and config and bumps version", () =>
    Effect.gen(function*() {
      const { app, client } = yield* setup
      const created = yield* client.configurations.create({
        payload: { application_id: app.id, name: "v1", comments: "first", config: { a: 1, b: 2 } }
      })
      const updated = yield* client.configurations.update({
        path: { id: created.id },
        payload: { name: "v2", config: { c: 3 } }
      })
      expect(updated).toMatchObject({ id: created.id, application_id: app.id, name: "v2", comments: null, config: { c: 3 }, version: 2 })
      expect(yield* client.configurations.get({ path: { id: created.id }, urlParams: {} })).toEqual(updated)
    }))

  it.effect("PUT: application_id may repeat the current one; a different one is 400 and changes nothing", () =>
    Effect.gen(function*() {
      const { app, client } = yield* setup
      const other = yield* client.applications.create({ payload: { name: `move-target-${app.id}` } })
      const created = yield* client.configurations.create({
        payload: { application_id: app.id, name: "stay", config: { a: 1 } }
      })
      const same = yield* client.configurations.update({
        path: { id: created.id },
        payload: { application_id: app.id, name: "stay", config: { a: 2 } }
      })
      expect(same.config).toEqual({ a: 2 })
      const moved = yield* Effect.flip(client.configurations.update({
        path: { id: created.id },
        payload: { application_id: other.id, name: "stay", config: { a: 3 } }
      }))
      expect(moved._tag).toBe("ApplicationIdImmutable")
      const after = yield* client.configurations.get({ path: { id: created.id }, urlParams: {} })
      expect(after).toMatchObject({ application_id: app.id, config: { a: 2 }, version: 2 })
    }))

  it.effect("PUT: 404 for an unknown id; 409 when renaming onto a sibling's name", () =>
    Effect.gen(function*() {
      const { app, client } = yield* setup
      const notFound = yield* Effect.flip(
        client.configurations.update({ path: { id: missing }, payload: { name: "x", config: {} } })
      )
      expect(notFound._tag).toBe("ConfigurationNotFound")
      yield* client.configurations.create({ payload: { application_id: app.id, name: "first", config: {} } })
      const second = yield* client.configurations.create({
        payload: { application_id: app.id, name: "second", config: {} }
      })
      const conflict = yield* Effect.flip(
        client.configurations.update({ path: { id: second.id }, payload: { name: "first", config: {} } })
      )
      expect(conflict._tag).toBe("ConfigurationNameTaken")
      expect((yield* client.configurations.get({ path: { id: second.id }, urlParams: {} })).name).toBe("second")
    }))

  it.effect("DELETE: 204, then 404; the application's configuration_ids no longer list it", () =>
    Effect.gen(function*() {
      const { app, client } = yield* setup
      const created = yield* client.configurations.create({ payload: { application_id: app.id, name: "tmp", config: {} } })
      const [, response] = yield* client.configurations.delete({ path: { id: created.id }, withResponse: true })
      expect(response.status).toBe(204)
      expect((yield* Effect.flip(client.configurations.get({ path: { id: created.id }, urlParams: {} })))._tag).toBe(
        "ConfigurationNotFound"
      )
      expect((yield* Effect.flip(client.configurations.delete({ path: { id: created.id } })))._tag).toBe(
        "ConfigurationNotFound"
      )
      expect((yield* client.applications.get({ path: { id: app.id }, urlParams: {} })).configuration_ids).toEqual([])
    }))

  it.effect("GET: 404 for an unknown id, 400 for a non-ULID, lower case accepted", () =>
    Effect.gen(function*() {
      const { app, client } = yield* setup
      expect((yield* Effect.flip(client.configurations.get({ path: { id: missing }, urlParams: {} })))._tag).toBe(
        "ConfigurationNotFound"
      )
      expect((yield* exchange("GET", "/api/v1/configurations/0123")).status).toBe(400)
      const created = yield* client.configurations.create({ payload: { application_id: app.id, name: "lc", config: {} } })
      const lower = yield* exchange("GET", `/api/v1/configurations/${created.id.toLowerCase()}`)
      expect(lower.status).toBe(200)
      expect(lower.json.id).toBe(created.id)
    }))

  it.effect("a refused body's message names each problem's path, config keys included", () =>
    Effect.gen(function*() {
      const { app } = yield* setup
      const cases: ReadonlyArray<readonly [unknown, string]> = [
        [
          { application_id: app.id, name: "x", comment: "typo", config: {} },
          "comment: unknown field"
        ],
        [
          { application_id: "xyz", name: "x", config: { db: { "pool size": [1, "a\u0000"] } } },
          "application_id: must be a ULID (26 characters, Crockford base32), got \"xyz\"; " +
          "config.db[\"pool size\"][1]: must not contain NUL (\\u0000) characters"
        ],
        [{ application_id: app.id, name: "x", config: [1] }, "config: must be a JSON object"],
        [{ application_id: app.id, name: "x" }, "config: is required"]
      ]
      for (const [body, message] of cases) {
        const response = yield* exchange("POST", "/api/v1/configurations", { json: body })
        expect(response.status, JSON.stringify(body)).toBe(400)
        expect(response.json).toMatchObject({ _tag: "HttpApiDecodeError", message })
      }
    }))
})
