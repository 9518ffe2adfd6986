import { HttpServer } from "@effect/platform"
import { expect, it } from "@effect/vitest"
import { Effect, Layer, Logger } from "effect"
import { type HttpRequest, type HttpResponse, send } from "../../test/Net.js"
import { ServiceTest } from "../../test/ServiceTest.js"
import { NodeServer } from "../Server.js"

/**
 * Cached reads are answered by the Node.js server before the Effect runtime: these tests
 * record which requests took that path and hold its answers to the API's for the same entry.
 */
const shortcut = Effect.gen(function*() {
  const server = yield* NodeServer
  const port = ((yield* HttpServer.HttpServer).address as HttpServer.TcpAddress).port
  const answered: Array<string> = []
  const answer = server.answerFirst!
  server.answerFirst = (request, response) => {
    const done = answer(request, response)
    if (done) answered.push(`${request.method} ${request.url}`)
    return done
  }
  yield* Effect.addFinalizer(() => Effect.sync(() => (server.answerFirst = answer)))
  const request = (options: Omit<HttpRequest, "port">) =>
    Effect.promise(() => send({ port, ...options })).pipe(
      Effect.map((outcome) => {
        if (outcome._tag !== "Response") throw new Error(`${options.path}: ${outcome.code}`)
        return outcome
      })
    )
  /** How many requests the shortcut answered since the last call. */
  const taken = () => answered.splice(0).length
  return { request, taken }
})

/** What a client can tell of a response: status, body and the headers the service sets. */
const visible = (response: HttpResponse) => ({
  status: response.status,
  text: response.text,
  etag: response.headers.etag,
  contentType: response.headers["content-type"],
  contentLength: response.headers["content-length"],
  nosniff: response.headers["x-content-type-options"]
})

const createApplication = (request: Effect.Effect.Success<typeof shortcut>["request"], name: string) =>
  Effect.map(
    request({ method: "POST", path: "/api/v1/applications", body: { name } }),
    (created) => (created.json as { id: string }).id
  )

it.layer(ServiceTest())("cached reads", (it) => {
  it.scoped("a repeated read of a configuration or application is answered from the cache, byte for byte as the API answered it", () =>
    Effect.gen(function*() {
      const { request, taken } = yield* shortcut
      const app = yield* createApplication(request, "cached-reads")
      const created = yield* request({
        method: "POST",
        path: "/api/v1/configurations",
        body: { application_id: app, name: "flags", config: { dark: true, "ключ": "значение" } }
      })
      const config = (created.json as { id: string }).id
      for (const path of [`/api/v1/configurations/${config}`, `/api/v1/applications/${app}`]) {
        taken()
        const first = yield* request({ path })
        expect(taken()).toBe(0)
        const second = yield* request({ path })
        expect(taken()).toBe(1)
        expect(first.status).toBe(200)
        expect(visible(second)).toEqual(visible(first))
        expect(Object.keys(second.headers).sort()).toEqual(Object.keys(first.headers).sort())
      }
    }))

  it.scoped("If-None-Match is answered 304 with the ETag, as the API does", () =>
    Effect.gen(function*() {
      const { request, taken } = yield* shortcut
      const app = yield* createApplication(request, "cached-reads-304")
      const path = `/api/v1/applications/${app}`
      const { headers: { etag } } = yield* request({ path })
      taken()
      const notModified = yield* request({ path, headers: { "if-none-match": `W/"0", ${etag}` } })
      expect(taken()).toBe(1)
      expect(notModified.status).toBe(304)
      expect(notModified.text).toBe("")
      expect(notModified.headers.etag).toBe(etag)
      expect(notModified.headers["x-content-type-options"]).toBe("nosniff")
      const changed = yield* request({ path, headers: { "if-none-match": `"0-000000000000"` } })
      expect(taken()).toBe(1)
      expect(changed.status).toBe(200)
    }))

  it.scoped("a write is read back at once: the next read goes to the API, the one after is cached again", () =>
    Effect.gen(function*() {
      const { request, taken } = yield* shortcut
      const app = yield* createApplication(request, "cached-reads-write")
      const path = `/api/v1/applications/${app}`
      yield* request({ path })
      yield* request({ path })
      const updated = yield* request({ method: "PUT", path, body: { name: "cached-reads-written" } })
      expect(updated.status).toBe(200)
      taken()
      const read = yield* request({ path })
      expect(taken()).toBe(0)
      expect(read.json).toMatchObject({ name: "cached-reads-written", version: 2 })
      expect(visible(yield* request({ path }))).toEqual(visible(read))
      expect(taken()).toBe(1)
      const removed = yield* request({ method: "DELETE", path })
      expect(removed.status).toBe(204)
      expect((yield* request({ path })).status).toBe(404)
      expect((yield* request({ path })).status).toBe(404)
      expect(taken()).toBe(0)
    }))

  it.scoped("other methods, paths, id spellings and query strings go to the API", () =>
    Effect.gen(function*() {
      const { request, taken } = yield* shortcut
      const app = yield* createApplication(request, "cached-reads-others")
      yield* request({ path: `/api/v1/applications/${app}` })
      taken()
      const head = yield* request({ method: "HEAD", path: `/api/v1/applications/${app}` })
      const lower = yield* request({ path: `/api/v1/applications/${app.toLowerCase()}` })
      const query = yield* request({ path: `/api/v1/applications/${app}?x=1` })
      const slash = yield* request({ path: `/api/v1/applications/${app}/` })
      const double = yield* request({ path: `/api//v1/applications/${app}` })
      expect(taken()).toBe(0)
      expect([head.status, lower.status, query.status]).toEqual([200, 200, 200])
      expect(lower.json).toMatchObject({ id: app })
      // The router's own leniency (a trailing slash, a doubled one) answers as the API does.
      expect([slash.status, double.status]).toEqual([200, 200])
      expect([slash.json, double.json]).toEqual([lower.json, lower.json])
    }))
})

const readKey = "reader-key-0123456789abcdef"

it.layer(ServiceTest({ API_KEYS: `${readKey}:read,writer-key-0123456789abcdef:write` }))("cached reads with API keys", (it) => {
  it.scoped("need a key that may read; without one the API answers 401", () =>
    Effect.gen(function*() {
      const { request, taken } = yield* shortcut
      const writer = { authorization: "Bearer writer-key-0123456789abcdef" }
      const created = yield* request({ method: "POST", path: "/api/v1/applications", body: { name: "keyed" }, headers: writer })
      const path = `/api/v1/applications/${(created.json as { id: string }).id}`
      yield* request({ path, headers: writer })
      taken()
      expect((yield* request({ path, headers: { authorization: `Bearer ${readKey}` } })).status).toBe(200)
      expect(taken()).toBe(1)
      const anonymous = yield* request({ path })
      const wrong = yield* request({ path, headers: { authorization: "Bearer not-a-key-0123456789abcdef" } })
      expect(taken()).toBe(0)
      expect([anonymous.status, wrong.status]).toEqual([401, 401])
      expect(anonymous.headers["www-authenticate"]).toBeDefined()
    }))
})

it.layer(ServiceTest({ CORS_ORIGINS: "https://app.example" }))("with CORS_ORIGINS", (it) => {
  it.effect("there is no shortcut: the CORS middleware adds its headers to every response", () =>
    Effect.gen(function*() {
      expect((yield* NodeServer).answerFirst).toBeUndefined()
      const port = ((yield* HttpServer.HttpServer).address as HttpServer.TcpAddress).port
      const created = yield* Effect.promise(() =>
        send({ port, method: "POST", path: "/api/v1/applications", body: { name: "cached-reads-cors" } })
      )
      const path = `/api/v1/applications/${((created as HttpResponse).json as { id: string }).id}`
      for (let i = 0; i < 2; i++) {
        const read = (yield* Effect.promise(() => send({ port, path }))) as HttpResponse
        expect(read.status).toBe(200)
        expect(read.headers["access-control-allow-origin"]).toBe("https://app.example")
        expect(read.headers.vary).toBe("Origin")
      }
    }))
})

const lines: Array<string> = []
const RecordedLogs = Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => lines.push(String(message))))

it.layer(ServiceTest({ LOG_LEVEL: "info" }).pipe(Layer.provide(RecordedLogs)))("cached reads at LOG_LEVEL=info", (it) => {
  it.scoped("are logged like every other request", () =>
    Effect.gen(function*() {
      const { request, taken } = yield* shortcut
      const app = yield* createApplication(request, "cached-reads-logged")
      const path = `/api/v1/applications/${app}`
      yield* request({ path })
      lines.length = 0
      yield* request({ path })
      expect(taken()).toBe(1)
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(new RegExp(`^GET ${path} 200 \\d+(\\.\\d)?ms$`))
    }))
})
