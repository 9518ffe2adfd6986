import { expect, it } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { Effect, Fiber } from "effect"
import { newApplication, raw, schemaUrl } from "../../../test/Schemas.js"
import { ServiceTest } from "../../../test/ServiceTest.js"
import { compileSchema, validate } from "../../JsonSchema/Validator.js"

/** Real time passes (tests run on a test clock). */
const pause = (ms: number) => Effect.promise(() => new Promise((resolve) => setTimeout(resolve, ms)))

/** `level` must be an integer from `n` to `max`. */
const schemaAt = (n: number, max = 1000) =>
  ({ type: "object", properties: { level: { type: "integer", minimum: n, maximum: max } }, required: ["level"] })

it.layer(ServiceTest())("schema writes racing configuration writes", (it) => {
  it.effect("whatever interleaves, every configuration conforms to the final schema; forced schemas are the only way around", () =>
    Effect.gen(function*() {
      const { app, client } = yield* newApplication()
      const ids: Array<string> = []
      yield* raw("PUT", schemaUrl(app.id), { body: schemaAt(0, 6) })
      for (let i = 0; i < 8; i++) {
        ids.push((yield* client.configurations.create({ payload: { application_id: app.id, name: `c${i}`, config: { level: 0 } } })).id)
      }
      // Strict (level ≤ 3) and loose (≤ 6) in turns; a few writes of level 5 pass only under the loose one.
      const schemaWrites = Array.from({ length: 20 }, (_, n) =>
        raw("PUT", schemaUrl(app.id), { body: schemaAt(0, n % 2 === 0 ? 3 : 6) }))
      const configWrites = Array.from({ length: 80 }, (_, n) => {
        const level = n % 10 < 8 ? n % 4 : 5
        return n % 3 === 0
          ? raw("POST", "/api/v1/configurations", { body: { application_id: app.id, name: `new-${n}`, config: { level } } })
          : n % 3 === 1
          ? raw("PUT", `/api/v1/configurations/${ids[n % ids.length]}`, { body: { name: `c${n % ids.length}`, config: { level } } })
          : raw("POST", `/api/v1/configurations/${ids[n % ids.length]}/versions/1/restore`)
      })
      const answers = yield* Effect.all([...schemaWrites, ...configWrites].sort(() => Math.random() - 0.5), {
        concurrency: 8
      })
      expect(answers.filter((answer) => answer.status >= 500).map((answer) => answer.text)).toEqual([])
      const final = yield* raw("GET", schemaUrl(app.id))
      expect(final.json.version).toBeGreaterThan(5)
      const validator = compileSchema(final.json.schema)
      if (validator._tag === "Left") throw new Error(validator.left.message)
      const configurations = yield* client.applications.configurations({ path: { id: app.id } })
      const failing = configurations.filter((configuration) => !validate(validator.right, configuration.config).valid)
      expect(failing).toEqual([])
      const versions = yield* client.history.changes({ path: { id: app.id }, urlParams: {} })
      expect(versions.changes.map((change) => change.revision)).toEqual(versions.changes.map((_, i) => i + 1))
    }), { timeout: 120_000 })

  it.effect("a write that validated against a schema replaced while it waited is checked again: 422, not written", () =>
    Effect.gen(function*() {
      const { app } = yield* newApplication()
      yield* raw("PUT", schemaUrl(app.id), { body: schemaAt(0, 6) })
      const sql = yield* SqlClient.SqlClient
      // A schema write, as the repository makes it, held open while a configuration write arrives.
      const held = yield* Effect.fork(sql.withTransaction(Effect.gen(function*() {
        const [{ schema_version }] = yield* sql<{ schema_version: number }>`
          UPDATE applications SET schema_version = schema_version + 1 WHERE id = ${app.id} RETURNING schema_version`
        yield* sql`UPDATE application_schemas SET schema = ${JSON.stringify(schemaAt(0, 3))}::jsonb,
                   version = ${schema_version} WHERE application_id = ${app.id}`
        yield* pause(1500)
      })))
      yield* pause(300)
      const write = yield* raw("POST", "/api/v1/configurations", {
        body: { application_id: app.id, name: "high", config: { level: 5 } }
      })
      yield* Fiber.join(held)
      expect([write.status, write.json.errors?.[0]?.keyword]).toEqual([422, "maximum"])
    }))

  it.effect("a forced schema leaves non-conforming configurations in place, and their next write must conform", () =>
    Effect.gen(function*() {
      const { app, client } = yield* newApplication()
      const created = yield* client.configurations.create({ payload: { application_id: app.id, name: "low", config: { level: 0 } } })
      expect((yield* raw("PUT", `${schemaUrl(app.id)}?force=true`, { body: schemaAt(5) })).status).toBe(201)
      expect((yield* client.configurations.get({ path: { id: created.id }, urlParams: {} })).config).toEqual({ level: 0 })
      const update = yield* raw("PUT", `/api/v1/configurations/${created.id}`, { body: { name: "low", config: { level: 1 } } })
      expect([update.status, update.json.errors[0].keyword]).toEqual([422, "minimum"])
    }))
})
