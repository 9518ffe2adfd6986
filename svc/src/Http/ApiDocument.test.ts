import { HttpClient } from "@effect/platform"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { execFile } from "node:child_process"
import { writeFile } from "node:fs/promises"
import path from "node:path"
import openapiTS, { astToString } from "openapi-typescript"
import ts from "typescript"
import { makeDocumentChecker } from "../../test/ApiDocument.js"
import { tempDir } from "../../test/Process.js"
import { ServiceTest } from "../../test/ServiceTest.js"
import { serviceRoot } from "../Settings.js"

type Json = any

const served = Effect.flatMap(HttpClient.HttpClient, (client) =>
  Effect.flatMap(client.get("/api/v1/openapi.json"), (response) => response.json)) as Effect.Effect<Json, unknown, HttpClient.HttpClient>

const operations = (spec: Json) =>
  Object.entries(spec.paths as Record<string, Record<string, Json>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op }))
  )

/** `redocly lint` (its recommended rules) on `spec`: its exit code and report. */
const lint = (spec: Json) =>
  Effect.gen(function*() {
    const file = path.join(yield* tempDir("openapi"), "openapi.json")
    yield* Effect.promise(() => writeFile(file, JSON.stringify(spec)))
    return yield* Effect.async<{ code: number; output: string }>((resume) => {
      execFile(
        path.join(serviceRoot, "node_modules", ".bin", "redocly"),
        ["lint", file, "--format=stylish"],
        { env: { ...process.env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1" }, timeout: 60_000 },
        (error, stdout, stderr) =>
          resume(Effect.succeed({ code: error === null ? 0 : Number(error.code ?? 1), output: `${stdout}\n${stderr}` }))
      )
    })
  })

/** Type-checks `source` against the types openapi-typescript generates from `spec`: the diagnostics, as text. */
const typeCheckClient = (spec: Json, source: string) =>
  Effect.gen(function*() {
    const dir = yield* tempDir("openapi-ts")
    const types = astToString(yield* Effect.promise(() => openapiTS(spec)))
    yield* Effect.promise(() =>
      Promise.all([writeFile(path.join(dir, "api.d.ts"), types), writeFile(path.join(dir, "client.ts"), source)])
    )
    const program = ts.createProgram([path.join(dir, "client.ts")], { strict: true, noEmit: true, types: [] })
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))
  })

it.layer(ServiceTest())("the API document without API_KEYS", (it) => {
  it.scoped("declares no security, no 401/403, and lints with no errors", () =>
    Effect.gen(function*() {
      const spec = yield* served
      expect(spec.components.securitySchemes).toBeUndefined()
      expect(spec.security ?? []).toEqual([])
      for (const { method, op, path } of operations(spec)) {
        expect(op.security, `${method} ${path}`).toBeUndefined()
        expect(Object.keys(op.responses), `${method} ${path}`).not.toContain("401")
        expect(Object.keys(op.responses), `${method} ${path}`).not.toContain("403")
      }
      const { code, output } = yield* lint(spec)
      expect(output).toMatch(/valid/)
      expect(code, output).toBe(0)
    }), { timeout: 60_000 })

  it.scoped("every operation has a summary; the constraints the service enforces are stated", () =>
    Effect.gen(function*() {
      const spec = yield* served
      for (const { method, op, path } of operations(spec)) {
        expect(op.summary, `${method} ${path}`).toMatch(/\w/)
        expect(Object.keys(op.responses).some((status) => status.startsWith("2")), `${method} ${path}`).toBe(true)
      }
      const schemas = spec.components.schemas
      expect(schemas.Name).toMatchObject({ type: "string", minLength: 1, maxLength: 256, allOf: [{ pattern: "\\S" }] })
      expect(schemas.Name.pattern).toBe("^[^\\u0000]*$")
      expect(schemas.Comments).toMatchObject({ type: "string", maxLength: 1024 })
      expect(schemas.ConfigObject).toMatchObject({ type: "object", additionalProperties: true })
      expect(schemas.Timestamp).toMatchObject({ type: "string", format: "date-time" })
      const list = spec.paths["/api/v1/applications"].get
      expect(list.parameters.find((p: Json) => p.name === "limit").schema).toMatchObject({
        type: "integer",
        minimum: 1,
        maximum: 1000
      })
      const id = spec.paths["/api/v1/configurations/{id}"].get.parameters.find((p: Json) => p.name === "id")
      expect(new RegExp(id.schema.pattern).test("01ARZ3NDEKTSV4RRFFQ69G5FAV")).toBe(true)
      expect(new RegExp(id.schema.pattern).test("0")).toBe(false)
    }))

  it.scoped("states the headers operations read and write, and the statuses they add", () =>
    Effect.gen(function*() {
      const spec = yield* served
      for (const path of ["/api/v1/applications/{id}", "/api/v1/configurations/{id}"]) {
        const { delete: del, get, put } = spec.paths[path]
        expect(get.parameters.map((p: Json) => p.name)).toContain("If-None-Match")
        expect(get.responses["304"].headers.ETag).toBeDefined()
        expect(get.responses["200"].headers.ETag).toBeDefined()
        for (const write of [put, del]) {
          expect(write.parameters.map((p: Json) => p.name)).toContain("If-Match")
          expect(write.responses["412"]).toBeDefined()
        }
        expect(put.responses["200"].headers.ETag).toBeDefined()
      }
      for (const path of ["/api/v1/applications", "/api/v1/configurations"]) {
        expect(spec.paths[path].post.responses["201"].headers).toMatchObject({ Location: {}, ETag: {} })
      }
      expect(spec.paths["/api/v1/applications"].get.responses["200"].headers.Link).toBeDefined()
      for (const { method, op, path } of operations(spec)) {
        if (op.responses["503"]) expect(op.responses["503"].headers["Retry-After"], `${method} ${path}`).toBeDefined()
        expect(op.responses["405"].headers.Allow, `${method} ${path}`).toBeDefined()
        if (!op.requestBody) expect(Object.keys(op.responses), `${method} ${path}`).not.toContain("413")
      }
      expect(Object.keys(spec.paths["/health/live"].get.responses)).not.toContain("503")
    }))

  it.scoped("states what the history operations answer: Link, If-Match, Location, the patch media type, 410", () =>
    Effect.gen(function*() {
      const spec = yield* served
      const versions = "/api/v1/configurations/{id}/versions"
      expect(spec.paths[versions].get.responses["200"].headers.Link).toBeDefined()
      const restore = spec.paths[`${versions}/{version}/restore`].post
      expect(restore.parameters.map((p: Json) => p.name)).toEqual(["id", "version", "If-Match"])
      expect(Object.keys(restore.responses)).toEqual(expect.arrayContaining(["200", "201", "404", "409", "410", "412"]))
      expect(restore.responses["200"].headers.ETag).toBeDefined()
      expect(restore.responses["201"].headers).toMatchObject({ Location: {}, ETag: {} })
      const diff = spec.paths[`${versions}/{version}/diff`].get
      expect(Object.keys(diff.responses["200"].content)).toEqual(["application/json-patch+json"])
      expect(Object.keys(spec.paths[`${versions}/{version}`].get.responses)).toContain("410")
      const changes = spec.paths["/api/v1/applications/{id}/changes"].get
      expect(changes.parameters.map((p: Json) => p.name)).toEqual(["id", "after", "limit", "wait"])
      expect(changes.parameters.find((p: Json) => p.name === "wait").schema).toMatchObject({ minimum: 1, maximum: 60 })
      expect(Object.keys(changes.responses)).toEqual(expect.arrayContaining(["200", "404", "410", "503"]))
    }))

  it.scoped("each example Location and Link names the resource its operation creates or lists", () =>
    Effect.gen(function*() {
      const spec = yield* served
      const examples = operations(spec).flatMap(({ method, op, path }) =>
        Object.values(op.responses as Record<string, Json>).flatMap((response) =>
          ["Location", "Link"].flatMap((name) => {
            const example: string | undefined = response.headers?.[name]?.example
            return example === undefined ? [] : [{ operation: `${method} ${path}`, path, example }]
          })))
      expect(examples.length).toBeGreaterThanOrEqual(6)
      for (const { example, operation, path } of examples) {
        // The example's path, its ids put back as the document's {id}: the operation's own path, under it, or above it.
        const template = /^<?([^?>]*)/.exec(example)![1]!.replace(/\/[0-7][0-9A-HJKMNP-TV-Z]{25}/g, "/{id}")
        const own = path.replace(/\{[a-z_]+\}/g, "{id}")
        expect(template.startsWith(own) || own.startsWith(template), `${operation}: ${example}`).toBe(true)
        expect(Object.keys(spec.paths).map((p) => p.replace(/\{[a-z_]+\}/g, "{id}")), `${operation}: ${example}`)
          .toContain(template)
      }
    }))

  it.scoped("a client generated with openapi-typescript type-checks creating an application and a nested configuration", () =>
    Effect.gen(function*() {
      const spec = yield* served
      const good = yield* typeCheckClient(
        spec,
        `import type { paths } from "./api"
type Body<P extends keyof paths> = paths[P] extends { post: { requestBody?: { content: { "application/json": infer B } } } } ? B : never
const application: Body<"/api/v1/applications"> = { name: "billing", comments: "invoices" }
const configuration: Body<"/api/v1/configurations"> = {
  application_id: "01ARZ3NDEKTSV4RRFFQ69G5FAV",
  name: "production",
  config: { currency: "EUR", retries: 3, nested: { flags: [true, null, "x"] } }
}
type Created = paths["/api/v1/configurations"]["post"]["responses"]["201"]["content"]["application/json"]
const read = (created: Created): number => created.version + Object.keys(created.config).length
export { application, configuration, read }
`
      )
      expect(good).toEqual([])
      const bad = yield* typeCheckClient(
        spec,
        `import type { paths } from "./api"
const application: paths["/api/v1/applications"]["post"]["requestBody"]["content"]["application/json"] = { nam: "typo" }
export { application }
`
      )
      expect(bad.length).toBeGreaterThan(0)
    }), { timeout: 60_000 })
})

it.layer(ServiceTest({ API_KEYS: "ci=w-key:write,r-key:read" }))("the API document with API_KEYS", (it) => {
  it.scoped("declares bearer security on every /api/v1 operation and on no health operation; lints with no errors", () =>
    Effect.gen(function*() {
      const spec = yield* served
      expect(spec.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" })
      for (const { method, op, path } of operations(spec)) {
        if (path.startsWith("/api/v1/")) {
          expect(op.security, `${method} ${path}`).toEqual([{ bearer: [] }])
          expect(op.responses["401"].headers["WWW-Authenticate"], `${method} ${path}`).toBeDefined()
          expect(Object.keys(op.responses).includes("403"), `${method} ${path}`).toBe(method !== "get")
        } else {
          expect(op.security ?? [], `${method} ${path}`).toEqual([])
          expect(Object.keys(op.responses), `${method} ${path}`).not.toContain("401")
        }
      }
      const { code, output } = yield* lint(spec)
      expect(code, output).toBe(0)
    }), { timeout: 60_000 })
})


it.layer(ServiceTest())("the document checker the property suites use", (it) => {
  it.scoped("flags an undocumented status, a body off its schema and a missing required header", () =>
    Effect.gen(function*() {
      const check = makeDocumentChecker(yield* served)
      const id = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
      const configuration = {
        id,
        application_id: id,
        name: "n",
        comments: null,
        config: {},
        created_at: "2026-01-02T03:04:05.678Z",
        updated_at: "2026-01-02T03:04:05.678Z",
        version: 1
      }
      const answer = (status: number, body: unknown, headers: Record<string, string> = { etag: `"1"` }) =>
        check({ method: "GET", url: `/api/v1/configurations/${id}`, status, headers, text: JSON.stringify(body) })
      expect(answer(200, configuration)).toEqual([])
      expect(answer(200, { ...configuration, version: "1" })).toHaveLength(1)
      expect(answer(200, configuration, {})).toEqual([expect.stringContaining("no ETag header")])
      expect(answer(418, {})).toEqual([expect.stringContaining("status not in the document")])
      expect(check({ method: "PATCH", url: "/api/v1/configurations/x", status: 405, headers: {}, text: "" })).toEqual([])
    }))
})
