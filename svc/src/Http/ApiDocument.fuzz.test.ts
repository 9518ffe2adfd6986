import { expect, layer } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import { arbitraryOf, makeDocumentChecker } from "../../test/ApiDocument.js"
import { response, serverPort } from "../../test/Requests.js"
import { ServiceTest } from "../../test/ServiceTest.js"
import { openSse } from "../../test/Sse.js"

type Json = any

/** The status and content type of a response that streams (Server-Sent Events), hung up once they are known. */
const streamHead = (port: number, url: string, headers: Record<string, string>) =>
  Effect.scoped(openSse(port, url, headers)).pipe(
    Effect.map((stream) => ({ status: stream.status, contentType: stream.headers["content-type"] })),
    Effect.timeout("10 seconds"),
    Effect.orDie
  )

const streams = (spec: Json, template: string, method: string) =>
  spec.paths[template]?.[method.toLowerCase()]?.responses?.["200"]?.content?.["text/event-stream"] !== undefined

/**
 * The 400s a request valid by the document can still get: it names an application that is not there, or not its
 * own; or its body, a JSON object or boolean as the document says, is not a JSON Schema (that takes a meta-schema).
 */
const semantic = new Set(["UnknownApplication", "ApplicationIdImmutable", "InvalidSchema"])

interface Generated {
  readonly method: string
  readonly template: string
  readonly path: string
  readonly query: Record<string, unknown>
  readonly headers: Record<string, string>
  readonly body?: unknown
}

/** Requests for every operation of `spec`, generated from its parameters' and bodies' schemas alone. */
const requestsOf = (spec: Json, ids: () => ReadonlyArray<string>) => {
  const of = arbitraryOf(fc, spec, ids)
  const operations = Object.entries(spec.paths as Record<string, Record<string, Json>>).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ template, method: method.toUpperCase(), op }))
  )
  return fc.constantFrom(...operations).chain(({ method, op, template }) => {
    const parameters: Array<Json> = op.parameters ?? []
    const field = (p: Json) => (p.required ? of(p.schema) : fc.option(of(p.schema), { nil: undefined }))
    const group = (where: string) =>
      fc.record(Object.fromEntries(parameters.filter((p) => p.in === where).map((p) => [p.name, field(p)])))
    const body = op.requestBody ? of(op.requestBody.content["application/json"].schema) : fc.constant(undefined)
    return fc.record({ path: group("path"), query: group("query"), headers: group("header"), body }).map((parts): Generated => ({
      method,
      template,
      path: template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String((parts.path as Json)[name]))),
      // A long poll's `wait` (any of 1..60 is valid) is held to a second, to keep the run short.
      query: Object.fromEntries(
        Object.entries(parts.query).filter(([, value]) => value !== undefined).map(([k, v]) => [k, k === "wait" ? 1 : v])
      ),
      headers: Object.fromEntries(Object.entries(parts.headers).filter(([, value]) => value !== undefined)) as Record<string, string>,
      ...(op.requestBody ? { body: parts.body } : {})
    }))
  })
}

const target = (request: Generated, extraQuery: Record<string, string> = {}) => {
  const query = new URLSearchParams({ ...Object.fromEntries(Object.entries(request.query).map(([k, v]) => [k, String(v)])), ...extraQuery })
  return `${request.path}${query.size > 0 ? `?${query}` : ""}`
}

layer(ServiceTest(), { excludeTestServices: true })("requests generated from the served API document", (it) => {
  it.scoped("valid ones are never refused as bad requests, invalid ones always are; every answer is in the document", () =>
    Effect.gen(function*() {
      const port = yield* serverPort
      const call = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
        response(port, { method, path, headers, ...(body === undefined ? {} : { body }) })
      const spec = (yield* call("GET", "/api/v1/openapi.json")).json as Json
      const check = makeDocumentChecker(spec)
      const ids: Array<string> = []
      for (let i = 0; i < 3; i++) {
        const app = yield* call("POST", "/api/v1/applications", {}, { name: `fuzz-${i}` })
        ids.push((app.json as { id: string }).id)
        const cfg = yield* call("POST", "/api/v1/configurations", {}, { application_id: ids.at(-1), name: "c", config: {} })
        ids.push((cfg.json as { id: string }).id)
      }
      const statuses = new Map<number, number>()
      for (const request of fc.sample(requestsOf(spec, () => ids), { numRuns: 400, seed: 42 })) {
        const url = target(request)
        if (streams(spec, request.template, request.method)) {
          const head = yield* streamHead(port, url, request.headers)
          // A generated id names an application (a stream) or none (404).
          expect(head.status === 200 ? head.contentType : String(head.status), url).toMatch(/^text\/event-stream|^404$/)
          continue
        }
        const reply = yield* call(request.method, url, request.headers, request.body)
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1)
        const label = `${request.method} ${url} ${JSON.stringify(request.headers)} ${JSON.stringify(request.body)} → ${reply.status} ${reply.text.slice(0, 300)}`
        expect(reply.status < 500, label).toBe(true)
        if (reply.status === 400) expect(semantic.has((reply.json as Json)?._tag), label).toBe(true)
        expect(check({ method: request.method, url, status: reply.status, headers: reply.headers, text: reply.text }), label).toEqual([])
        const created = reply.status === 201 ? (reply.json as { id?: string }).id : undefined
        if (created) ids.push(created)

        // The same request made invalid, one way at a time: each is refused with a 4xx.
        const invalid: Array<[string, string, unknown]> = [[request.method, target(request, { unknown_parameter: "1" }), request.body]]
        if (request.body !== undefined && typeof request.body === "object" && request.body !== null) {
          invalid.push([request.method, url, { ...request.body, unknown_field: 1 }])
          // `config` takes any object: an array is what it does not take.
          const wrong = (key: string) => (key === "config" ? ["what", "it", "takes"] : { not: ["what", "it", "takes"] })
          for (const key of Object.keys(request.body)) invalid.push([request.method, url, { ...request.body, [key]: wrong(key) }])
        }
        if ("limit" in request.query) invalid.push([request.method, target(request, { limit: "1001" }), request.body])
        for (const [method, invalidUrl, body] of invalid) {
          const refused = yield* call(method, invalidUrl, request.headers, body)
          expect(refused.status, `${method} ${invalidUrl} ${JSON.stringify(body)} → ${refused.status} ${refused.text.slice(0, 200)}`)
            .toBeGreaterThanOrEqual(400)
          expect(refused.status).toBeLessThan(500)
        }
      }
      console.log(`requests generated from the document: ${[...statuses].sort().map(([s, n]) => `${s}: ${n}`).join(", ")}`)
      expect(statuses.get(200)! + (statuses.get(201) ?? 0)).toBeGreaterThan(50)
    }), { timeout: 120_000 })
})
