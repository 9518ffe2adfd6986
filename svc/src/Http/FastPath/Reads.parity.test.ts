import { expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import { comparable, shortcutSwitch } from "../../../test/Parity.js"
import { response } from "../../../test/Requests.js"
import { ServiceTest } from "../../../test/ServiceTest.js"

const keys = { API_KEYS: "reader=r-key:read,writer=w-key:write" }

/**
 * Each generated request is sent twice to the same service, once with the cached-read
 * shortcut switched off and once with it on: the two answers must be identical.
 */
const parity = (withKeys: boolean) =>
  Effect.gen(function*() {
    const { port, twice } = yield* shortcutSwitch
    const writer = withKeys ? { authorization: "Bearer w-key" } : {}
    const app = yield* response(port, { method: "POST", path: "/api/v1/applications", body: { name: `parity-${withKeys}` }, headers: writer })
    const appId = (app.json as { id: string }).id
    const config = yield* response(port, {
      method: "POST",
      path: "/api/v1/configurations",
      body: { application_id: appId, name: "c", config: { "ключ": [1, { deep: null }] } },
      headers: writer
    })
    const configId = (config.json as { id: string }).id
    const etags = {
      [appId]: (yield* response(port, { path: `/api/v1/applications/${appId}`, headers: writer })).headers.etag!,
      [configId]: (yield* response(port, { path: `/api/v1/configurations/${configId}`, headers: writer })).headers.etag!
    }

    // Weighted towards what the shortcut answers (canonical ids, GET, no query): it must be exercised.
    const id = fc.oneof(
      { arbitrary: fc.constantFrom(appId, configId), weight: 6 },
      fc.constantFrom(appId.toLowerCase(), configId.toLowerCase(), appId.slice(0, 10) + appId.slice(10).toLowerCase()),
      fc.constantFrom("01ARZ3NDEKTSV4RRFFQ69G5FAV", "not-a-ulid", "%30%31", "")
    )
    const ifNoneMatch = (target: string) =>
      fc.oneof(
        fc.constant(undefined),
        fc.constant(etags[target.toUpperCase()] ?? `"1"`),
        fc.constant(`W/${etags[target.toUpperCase()] ?? `"1"`}`),
        fc.constantFrom("*", `"0"`, `"0-000000000000"`, "garbage", `"x", ${etags[appId]}, ${etags[configId]}`)
      )
    const generated = fc.record({
      method: fc.oneof({ arbitrary: fc.constant("GET"), weight: 6 }, fc.constantFrom("HEAD", "OPTIONS", "POST", "PATCH")),
      kind: fc.constantFrom("applications", "configurations"),
      id,
      query: fc.oneof({ arbitrary: fc.constant(""), weight: 4 }, fc.constantFrom("?", "?x=1", "?limit=1")),
      authorization: withKeys
        ? fc.oneof(
          { arbitrary: fc.constantFrom("Bearer r-key", "Bearer w-key", "bearer  r-key "), weight: 3 },
          fc.constantFrom(undefined, "Bearer nope", "Basic abc")
        )
        : fc.constantFrom(undefined, "Bearer anything")
    }).chain((base) => fc.record({ ifNoneMatch: ifNoneMatch(base.id) }).map((extra) => ({ ...base, ...extra })))

    let shortcutAnswered = 0
    for (const generatedRequest of fc.sample(generated, { numRuns: 300, seed: withKeys ? 7 : 11 })) {
      const headers: Record<string, string> = {}
      if (generatedRequest.authorization !== undefined) headers.authorization = generatedRequest.authorization
      if (generatedRequest.ifNoneMatch !== undefined) headers["if-none-match"] = generatedRequest.ifNoneMatch
      const options = {
        method: generatedRequest.method,
        path: `/api/v1/${generatedRequest.kind}/${generatedRequest.id}${generatedRequest.query}`,
        headers
      }
      const { taken, throughApi, withShortcut } = yield* twice(options)
      if (taken) shortcutAnswered++
      expect(comparable(withShortcut), JSON.stringify(generatedRequest)).toEqual(comparable(throughApi))
    }
    // The property is about the shortcut: it must have answered a good share of the requests.
    expect(shortcutAnswered).toBeGreaterThan(40)
  })

it.layer(ServiceTest())("the cached-read shortcut and the API, without API keys", (it) => {
  it.scoped("answer generated requests identically: status, headers and body", () => parity(false), { timeout: 60_000 })
})

it.layer(ServiceTest(keys))("the cached-read shortcut and the API, with API keys", (it) => {
  it.scoped("answer generated requests identically: status, headers and body", () => parity(true), { timeout: 60_000 })
})
