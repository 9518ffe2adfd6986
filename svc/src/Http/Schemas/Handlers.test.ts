import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { keysConfig, keysSchema, newApplication, raw, schemaUrl } from "../../../test/Schemas.js"
import { ServiceTest } from "../../../test/ServiceTest.js"
import type { ApplicationId } from "../../Domain/Ids.js"

const missingApp = "01ARZ3NDEKTSV4RRFFQ69G5FAV" as ApplicationId

const putSchema = (id: string, schema: unknown, headers: Record<string, string> = {}, query = "") =>
  raw("PUT", `${schemaUrl(id)}${query}`, { body: schema, headers })

it.layer(ServiceTest({ API_KEYS: "ops=writer-secret:write" }))("schemas over HTTP", (it) => {
  const token = "writer-secret"
  const auth = { authorization: `Bearer ${token}` }

  it.effect("PUT: 201 the first time with Location and ETag, 200 after; GET answers it with its ETag; actor recorded", () =>
    Effect.gen(function*() {
      const { app } = yield* newApplication(token)
      const first = yield* putSchema(app.id, keysSchema(2), auth)
      expect(first.status).toBe(201)
      expect(first.headers.location).toBe(schemaUrl(app.id))
      expect(first.headers.etag).toBe(`"1"`)
      expect(first.json).toMatchObject({ application_id: app.id, schema: keysSchema(2), version: 1, actor: "ops" })
      expect(first.json.updated_at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/)
      const second = yield* putSchema(app.id, true, auth)
      expect(second.status).toBe(200)
      expect(second.headers.etag).toBe(`"2"`)
      expect(second.json).toMatchObject({ schema: true, version: 2 })
      const read = yield* raw("GET", schemaUrl(app.id), { headers: auth })
      expect(read.status).toBe(200)
      expect(read.headers.etag).toBe(`"2"`)
      expect(read.json).toEqual(second.json)
      const notModified = yield* raw("GET", schemaUrl(app.id), { headers: { ...auth, "if-none-match": `"2"` } })
      expect([notModified.status, notModified.text]).toEqual([304, ""])
      const stale = yield* raw("GET", schemaUrl(app.id), { headers: { ...auth, "if-none-match": `"1"` } })
      expect(stale.status).toBe(200)
    }))

  it.effect("If-Match: a stale tag is 412 and changes nothing; the current one writes; none on a missing schema is 412", () =>
    Effect.gen(function*() {
      const { app } = yield* newApplication(token)
      expect((yield* putSchema(app.id, true, { ...auth, "if-match": `"1"` })).status).toBe(412)
      expect((yield* putSchema(app.id, keysSchema(1), auth)).status).toBe(201)
      const stale = yield* putSchema(app.id, false, { ...auth, "if-match": `"7"` })
      expect([stale.status, stale.json._tag]).toEqual([412, "PreconditionFailed"])
      expect((yield* raw("GET", schemaUrl(app.id), { headers: auth })).json.schema).toEqual(keysSchema(1))
      const current = yield* putSchema(app.id, keysSchema(3), { ...auth, "if-match": `"1"` })
      expect([current.status, current.headers.etag]).toEqual([200, `"2"`])
      expect((yield* raw("DELETE", schemaUrl(app.id), { headers: { ...auth, "if-match": `"1"` } })).status).toBe(412)
      expect((yield* raw("DELETE", schemaUrl(app.id), { headers: { ...auth, "if-match": `"2"` } })).status).toBe(204)
    }))

  it.effect("DELETE: 204, then GET and DELETE are 404 SchemaNotFound; a schema attached again runs its version on", () =>
    Effect.gen(function*() {
      const { app } = yield* newApplication(token)
      yield* putSchema(app.id, keysSchema(1), auth)
      const deleted = yield* raw("DELETE", schemaUrl(app.id), { headers: auth })
      expect([deleted.status, deleted.text]).toEqual([204, ""])
      const gone = yield* raw("GET", schemaUrl(app.id), { headers: auth })
      expect([gone.status, gone.json._tag]).toEqual([404, "SchemaNotFound"])
      expect((yield* raw("DELETE", schemaUrl(app.id), { headers: auth })).json._tag).toBe("SchemaNotFound")
      const again = yield* putSchema(app.id, keysSchema(1), auth)
      expect([again.status, again.json.version]).toEqual([201, 3])
    }))

  it.effect("an unknown application is 404 ApplicationNotFound on every schema operation", () =>
    Effect.gen(function*() {
      const answers = yield* Effect.all([
        putSchema(missingApp, true, auth),
        raw("GET", schemaUrl(missingApp), { headers: auth }),
        raw("DELETE", schemaUrl(missingApp), { headers: auth }),
        raw("POST", `/api/v1/applications/${missingApp}/validate`, { headers: auth, body: { config: {} } })
      ])
      expect(answers.map((a) => [a.status, a.json._tag])).toEqual(Array(4).fill([404, "ApplicationNotFound"]))
    }))

  it.effect("writes that fail the schema are 422 ConfigurationInvalid with path, keyword and message; conforming ones pass", () =>
    Effect.gen(function*() {
      const { app, client } = yield* newApplication(token)
      yield* putSchema(app.id, { ...keysSchema(2), additionalProperties: false }, auth)
      const refused = yield* raw("POST", "/api/v1/configurations", {
        headers: auth,
        body: { application_id: app.id, name: "bad", config: { k0: "x", k1: 2000, extra: 1 } }
      })
      expect(refused.status).toBe(422)
      expect(refused.json).toEqual({
        _tag: "ConfigurationInvalid",
        message: "the configuration does not conform to the application's schema: 3 errors",
        errors: [
          { path: "/extra", keyword: "additionalProperties", message: "is not an allowed property" },
          { path: "/k0", keyword: "type", message: "must be an integer" },
          { path: "/k1", keyword: "maximum", message: "must be at most 1000" }
        ]
      })
      const created = yield* client.configurations.create({
        payload: { application_id: app.id, name: "good", config: keysConfig(2) }
      })
      const update = yield* raw("PUT", `/api/v1/configurations/${created.id}`, {
        headers: auth,
        body: { name: "good", config: { k0: 1 } }
      })
      expect([update.status, update.json.errors]).toEqual([422, [{ path: "", keyword: "required", message: `must have the property "k1"` }]])
      expect((yield* raw("GET", `/api/v1/configurations/${created.id}`, { headers: auth })).json.version).toBe(1)
    }))

  it.effect("422 lists at most 50 errors", () =>
    Effect.gen(function*() {
      const { app } = yield* newApplication(token)
      yield* putSchema(app.id, { type: "object", additionalProperties: { type: "string" } }, auth)
      const config = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`n${i}`, i]))
      const refused = yield* raw("POST", "/api/v1/configurations", { headers: auth, body: { application_id: app.id, name: "many", config } })
      expect(refused.status).toBe(422)
      expect(refused.json.errors).toHaveLength(50)
      expect(refused.json.message).toMatch(/50 or more errors/)
    }))

  it.effect("restore of a version that fails the current schema is 422, and writes no version", () =>
    Effect.gen(function*() {
      const { app, client } = yield* newApplication(token)
      const created = yield* client.configurations.create({ payload: { application_id: app.id, name: "c", config: { k0: "old" } } })
      yield* client.configurations.update({ path: { id: created.id }, payload: { name: "c", config: keysConfig(1) } })
      yield* putSchema(app.id, keysSchema(1), auth)
      const restore = yield* raw("POST", `/api/v1/configurations/${created.id}/versions/1/restore`, { headers: auth })
      expect([restore.status, restore.json._tag, restore.json.errors[0].path]).toEqual([422, "ConfigurationInvalid", "/k0"])
      const versions = yield* raw("GET", `/api/v1/configurations/${created.id}/versions`, { headers: auth })
      expect(versions.json.map((v: any) => v.version)).toEqual([2, 1])
      expect((yield* raw("POST", `/api/v1/configurations/${created.id}/versions/2/restore`, { headers: auth })).status).toBe(200)
    }))

  it.effect("PUT of a schema some configurations fail is 409 SchemaViolated naming them, unless force=true", () =>
    Effect.gen(function*() {
      const { app, client } = yield* newApplication(token)
      const good = yield* client.configurations.create({ payload: { application_id: app.id, name: "good", config: keysConfig(1) } })
      const bad = yield* client.configurations.create({ payload: { application_id: app.id, name: "bad", config: { k0: -1 } } })
      const refused = yield* putSchema(app.id, keysSchema(1), auth)
      expect(refused.status).toBe(409)
      expect(refused.json._tag).toBe("SchemaViolated")
      expect(refused.json.configurations).toEqual([
        { id: bad.id, name: "bad", errors: [{ path: "/k0", keyword: "minimum", message: "must be at least 0" }] }
      ])
      expect(good.id).not.toBe(bad.id)
      expect((yield* raw("GET", schemaUrl(app.id), { headers: auth })).status).toBe(404)
      const forced = yield* putSchema(app.id, keysSchema(1), auth, "?force=true")
      expect([forced.status, forced.json.version]).toEqual([201, 1])
      expect((yield* putSchema(app.id, true, auth, "?force=maybe")).status).toBe(400)
    }))

  it.effect("POST /validate: valid and errors against the schema, { valid: true } with none; writes nothing", () =>
    Effect.gen(function*() {
      const { app, client } = yield* newApplication(token)
      const dry = (config: unknown) =>
        client.schemas.validate({ path: { id: app.id }, payload: { config: config as any } })
      expect(yield* dry({ anything: 1 })).toEqual({ valid: true, errors: [] })
      yield* putSchema(app.id, keysSchema(1), auth)
      expect(yield* dry(keysConfig(1))).toEqual({ valid: true, errors: [] })
      expect(yield* dry({})).toEqual({ valid: false, errors: [{ path: "", keyword: "required", message: `must have the property "k0"` }] })
      expect(yield* client.applications.configurations({ path: { id: app.id } })).toEqual([])
      const notObject = yield* raw("POST", `/api/v1/applications/${app.id}/validate`, { headers: auth, body: { config: [1] } })
      expect(notObject.status).toBe(400)
    }))
})

