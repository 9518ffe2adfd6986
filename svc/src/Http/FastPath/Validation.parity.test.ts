import { expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import type http from "node:http"
import { comparable, shortcutSwitch } from "../../../test/Parity.js"
import { response } from "../../../test/Requests.js"
import { ServiceTest } from "../../../test/ServiceTest.js"

const keys = { API_KEYS: "reader=r-key:read,writer=w-key:write", BODY_LIMIT: "2KiB" }

const schema = {
  type: "object",
  properties: { level: { type: "integer", maximum: 3 }, name: { type: "string", pattern: "^[a-z]+$" } },
  required: ["level"]
}

const deep = (levels: number): unknown => (levels === 0 ? 1 : { a: deep(levels - 1) })

/**
 * Each generated `POST /applications/{id}/validate` is sent twice to the same service, once with
 * the shortcuts switched off and once with them on: the two answers must be identical, whether
 * the shortcut answers the request itself or hands it on to the API with its body replayed.
 */
const parity = (withKeys: boolean) =>
  Effect.gen(function*() {
    const { port, server, twice } = yield* shortcutSwitch
    const writer = withKeys ? { authorization: "Bearer w-key" } : {}
    const create = (name: string) =>
      Effect.map(
        response(port, { method: "POST", path: "/api/v1/applications", body: { name }, headers: writer }),
        (created) => (created.json as { id: string }).id
      )
    const checked = yield* create(`validation-parity-${withKeys}`)
    const unchecked = yield* create(`validation-parity-none-${withKeys}`)
    const attached = yield* response(port, {
      method: "PUT",
      path: `/api/v1/applications/${checked}/schema`,
      body: schema,
      headers: writer
    })
    expect(attached.status).toBe(201)

    // Weighted towards what the shortcut takes (canonical id, POST, JSON, no query): it must be exercised.
    const id = fc.oneof(
      { arbitrary: fc.constant(checked), weight: 8 },
      { arbitrary: fc.constant(unchecked), weight: 2 },
      fc.constantFrom(checked.toLowerCase(), "01ARZ3NDEKTSV4RRFFQ69G5FAV", "not-a-ulid", "%30%31")
    )
    const config = fc.oneof(
      fc.record({ level: fc.integer({ min: -1, max: 5 }) }),
      fc.record({ level: fc.integer({ min: 0, max: 3 }), name: fc.constantFrom("abc", "ABC", "") }),
      fc.dictionary(fc.constantFrom("level", "name", "x", "\u0000"), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })
    )
    const body = fc.oneof(
      { arbitrary: config.map((c) => JSON.stringify({ config: c })), weight: 6 },
      config.map((c) => JSON.stringify({ config: c, extra: 1 })),
      fc.constantFrom(
        "",
        "{",
        "null",
        "[]",
        "{}",
        JSON.stringify({ config: [] }),
        JSON.stringify({ config: "x" }),
        JSON.stringify({ config: null }),
        JSON.stringify({ config: deep(120) }),
        JSON.stringify({ config: { level: 1, big: "x".repeat(3000) } }),
        "{\"config\":{\"level\":1}} trailing",
        "\uFEFF{\"config\":{\"level\":1}}"
      ),
      fc.constant(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]))
    )
    const generated = fc.record({
      method: fc.oneof({ arbitrary: fc.constant("POST"), weight: 8 }, fc.constantFrom("PUT", "GET")),
      id,
      query: fc.oneof({ arbitrary: fc.constant(""), weight: 6 }, fc.constantFrom("?", "?x=1")),
      contentType: fc.oneof(
        { arbitrary: fc.constant("application/json"), weight: 6 },
        fc.constantFrom("application/json; charset=utf-8", "APPLICATION/JSON", "text/plain", "")
      ),
      body,
      authorization: withKeys
        ? fc.oneof(
          { arbitrary: fc.constant("Bearer w-key"), weight: 4 },
          fc.constantFrom(undefined, "Bearer r-key", "Bearer nope")
        )
        : fc.constantFrom(undefined, "Bearer anything")
    })

    const passOn = server.passOn
    let taken = 0
    let handedOn = 0
    server.passOn = (request: http.IncomingMessage, response: http.ServerResponse) => {
      handedOn++
      passOn.call(server, request, response)
    }
    for (const request of fc.sample(generated, { numRuns: 300, seed: withKeys ? 5 : 3 })) {
      const headers: Record<string, string> = { "content-type": request.contentType }
      if (request.authorization !== undefined) headers.authorization = request.authorization
      const options = {
        method: request.method,
        path: `/api/v1/applications/${request.id}/validate${request.query}`,
        raw: request.body,
        headers
      }
      const { throughApi, withShortcut, taken: took } = yield* twice(options)
      if (took) taken++
      const described = { ...request, body: String(request.body).slice(0, 120) }
      expect(comparable(withShortcut), JSON.stringify(described)).toEqual(comparable(throughApi))
    }
    server.passOn = passOn
    // The property is about the shortcut: it must have answered a good share itself, and handed some on.
    expect(taken - handedOn).toBeGreaterThan(60)
    expect(handedOn).toBeGreaterThan(10)
  })

it.layer(ServiceTest())("the validation shortcut and the API, without API keys", (it) => {
  it.scoped("answer generated requests identically: status, headers and body", () => parity(false), { timeout: 90_000 })
})

it.layer(ServiceTest(keys))("the validation shortcut and the API, with API keys and a 2 KiB body limit", (it) => {
  it.scoped("answer generated requests identically: status, headers and body", () => parity(true), { timeout: 90_000 })
})
