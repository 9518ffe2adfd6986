import { expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import { newApplication, raw, schemaUrl } from "../../../test/Schemas.js"
import { ServiceTest } from "../../../test/ServiceTest.js"

const nested = (depth: number): unknown => (depth === 0 ? { type: "string" } : { type: "object", properties: { a: nested(depth - 1) } })

/** Real milliseconds `effect` took. */
const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.all([Effect.sync(() => performance.now()), effect]), ([started, value]) => ({
    value,
    ms: performance.now() - started
  }))

it.layer(ServiceTest())("hostile schemas through the API", (it) => {
  it.effect("are 400 InvalidSchema saying why: remote $ref, $data, over 64 KiB, over 32 levels, not a schema", () =>
    Effect.gen(function*() {
      const { app } = yield* newApplication()
      const cases: Array<[unknown, RegExp]> = [
        [{ $ref: "https://example.com/schema.json" }, /cannot be resolved inside the schema/],
        [{ properties: { a: { const: { $data: "1/b" } } } }, /\$data/],
        [{ type: "object", description: "x".repeat(70 * 1024) }, /64 KiB|65,536|bytes/],
        [nested(40), /nests deeper than 32 levels/],
        [{ type: "strang" }, /type/],
        [{ pattern: "(" }, /pattern/],
        [5, /a JSON object or a boolean/],
        [null, /a JSON object or a boolean/],
        [{ unknown_keyword: 1 }, /unknown_keyword/]
      ]
      for (const [schema, why] of cases) {
        const answer = yield* raw("PUT", schemaUrl(app.id), { body: schema === null ? "null" : schema })
        expect([answer.status, answer.json?._tag], JSON.stringify(schema).slice(0, 80)).toEqual([400, "InvalidSchema"])
        expect(answer.json.message).toMatch(why)
      }
      expect((yield* raw("GET", schemaUrl(app.id))).status).toBe(404)
    }))

  it.effect("^(a+)+$ against 10,000 a's and a ! answers within a second; deep recursive $ref and huge uniqueItems are bounded", () =>
    Effect.gen(function*() {
      const { app } = yield* newApplication()
      const validate = (config: unknown) => raw("POST", `/api/v1/applications/${app.id}/validate`, { body: { config } })
      yield* raw("PUT", schemaUrl(app.id), { body: { properties: { s: { type: "string", pattern: "^(a+)+$" } } } })
      const redos = yield* timed(validate({ s: `${"a".repeat(10_000)}!` }))
      expect(redos.value.json).toMatchObject({ valid: false, errors: [{ path: "/s", keyword: "pattern" }] })
      expect(redos.ms).toBeLessThan(1_000)

      const loop = yield* raw("PUT", schemaUrl(app.id), { body: { $defs: { a: { $ref: "#/$defs/a" } }, $ref: "#/$defs/a" } })
      expect([loop.status, loop.json._tag]).toEqual([400, "InvalidSchema"])

      const recursive = { $defs: { node: { type: "object", properties: { next: { $ref: "#/$defs/node" } } } }, $ref: "#/$defs/node" }
      expect((yield* raw("PUT", schemaUrl(app.id), { body: recursive })).status).toBe(200)
      let deep: Record<string, unknown> = {}
      for (let i = 0; i < 99; i++) deep = { next: deep }
      const walked = yield* timed(validate(deep))
      expect([walked.value.status, walked.value.json.valid]).toEqual([200, true])
      expect(walked.ms).toBeLessThan(2_000)

      yield* raw("PUT", schemaUrl(app.id), { body: { properties: { list: { type: "array", uniqueItems: true } } } })
      const items = Array.from({ length: 20_000 }, (_, i) => ({ id: i, tags: [i % 7, "x"] }))
      const unique = yield* timed(validate({ list: items }))
      expect(unique.value.status).toBe(200)
      expect(unique.ms).toBeLessThan(5_000)
    }), { timeout: 60_000 })

  it.effect("a schema that trips Ajv while it collects every error still gets a verdict: 422 on write, valid false on validate", () =>
    Effect.gen(function*() {
      const { app } = yield* newApplication()
      const tripping = { patternProperties: { "^a": { required: [] } }, anyOf: [{ additionalProperties: { type: "integer" } }] }
      expect((yield* raw("PUT", schemaUrl(app.id), { body: tripping })).status).toBe(201)
      const checked = yield* raw("POST", `/api/v1/applications/${app.id}/validate`, { body: { config: { a: "" } } })
      expect([checked.status, checked.json.valid, checked.json.errors[0]]).toEqual([200, false, {
        path: "/a",
        keyword: "type",
        message: "must be an integer"
      }])
      const refused = yield* raw("POST", "/api/v1/configurations", {
        body: { application_id: app.id, name: "tripping", config: { a: "" } }
      })
      expect([refused.status, refused.json._tag]).toEqual([422, "ConfigurationInvalid"])
      const created = yield* raw("POST", "/api/v1/configurations", {
        body: { application_id: app.id, name: "tripping", config: { a: 1 } }
      })
      expect(created.status).toBe(201)
    }))

  it.effect("generated schemas and values never cause a 5xx, and /health/live keeps answering within seconds", () =>
    Effect.gen(function*() {
      const { app } = yield* newApplication()
      const keyword = fc.oneof(
        fc.record({ type: fc.constantFrom("string", "integer", "object", "array", "boolean", "nope") }),
        fc.record({ pattern: fc.constantFrom("^a+$", "(a|aa)+$", "(", "\\d{2,}", "^(a+)+$") }),
        fc.record({ minimum: fc.integer({ min: -5, max: 5 }), maximum: fc.integer({ min: -5, max: 50 }) }),
        fc.record({ enum: fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 4 }) }),
        fc.record({ uniqueItems: fc.boolean(), maxItems: fc.nat(5) }),
        fc.record({ required: fc.array(fc.constantFrom("a", "b", "c"), { maxLength: 3 }) })
      )
      const schema = fc.oneof(
        fc.boolean(),
        fc.record({ properties: fc.dictionary(fc.constantFrom("a", "b", "c"), keyword, { maxKeys: 3 }) }),
        keyword
      )
      const value = fc.dictionary(fc.constantFrom("a", "b", "c"), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })
        .filter((config) => !JSON.stringify(config).includes("\\u0000"))
      const statuses = new Map<number, number>()
      for (const [s, config] of fc.sample(fc.tuple(schema, value), { numRuns: 200, seed: 13 })) {
        for (const answer of [
          yield* raw("PUT", `${schemaUrl(app.id)}?force=true`, { body: s }),
          yield* raw("POST", `/api/v1/applications/${app.id}/validate`, { body: { config } }),
          yield* raw("POST", "/api/v1/configurations", { body: { application_id: app.id, name: `c-${Math.random()}`, config } })
        ]) {
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
          expect(answer.status, `${JSON.stringify(s)} ${JSON.stringify(config)} → ${answer.text.slice(0, 200)}`).toBeLessThan(500)
        }
        const live = yield* timed(raw("GET", "/health/live"))
        expect(live.value.status).toBe(200)
        expect(live.ms).toBeLessThan(5_000)
      }
      expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 201, 400, 422]))
    }), { timeout: 180_000 })
})
