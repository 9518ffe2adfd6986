import { expect, it } from "@effect/vitest"
import { Effect, Layer, Logger } from "effect"
import { type HttpRequest, type HttpResponse, serverClient } from "../../../test/Net.js"
import { ServiceTest } from "../../../test/ServiceTest.js"
import { ChangeFeed } from "../../ChangeFeed/ChangeFeed.js"
import { NodeServer } from "../Edge/NodeServer.js"


/**
 * Cached reads are answered by the Node.js server before the Effect runtime: these tests
 * record which requests took that path and hold its answers to the API's for the same entry.
 */
const shortcut = Effect.gen(function*() {
  const server = yield* NodeServer
  const announced = new Set<string>()
  const feed = yield* ChangeFeed
  yield* feed.subscribe({ change: (key) => announced.add(key), reset: () => {} })
  // Nothing is cached until the feed has proven it hears every change.
  for (let attempt = 0; attempt < 250 && !feed.trusted(); attempt++) {
    yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 20)))
  }
  /**
   * Waits until the change feed has announced `keys`: a read that races the notification of
   * an earlier write is not kept, and a late notification drops what a read kept before it.
   */
  const settled = (...keys: ReadonlyArray<string>) =>
    Effect.gen(function*() {
      for (let attempt = 0; attempt < 250 && !keys.every((key) => announced.has(key)); attempt++) {
        yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 20))) // real time, not the TestClock
      }
      for (const key of keys) {
        if (!announced.delete(key)) throw new Error(`${key} was never announced`)
      }
    })
  const request = yield* serverClient
  const answered: Array<string> = []
  const answer = server.answerFirst!
  server.answerFirst = (request, response) => {
    const done = answer(request, response)
    if (done) answered.push(`${request.method} ${request.url}`)
    return done
  }
  yield* Effect.addFinalizer(() => Effect.sync(() => (server.answerFirst = answer)))
  /** How many requests the shortcut answered since the last call. */
  const taken = () => answered.splice(0).length
  /** Reads until the shortcut answers (once the API has filled the cache: the second read, after `settled`). */
  const cached = (options: Omit<HttpRequest, "port">) =>
    Effect.gen(function*() {
      taken()
      for (let attempt = 0; attempt < 3; attempt++) {
        const response = yield* request(options)
        if (taken() > 0) return response
      }
      throw new Error(`${options.path} was never answered from the cache`)
    })
  /** One request with the shortcut off: the API's own answer. */
  const viaApi = (options: Omit<HttpRequest, "port">) =>
    Effect.suspend(() => {
      const current = server.answerFirst
      server.answerFirst = undefined
      return Effect.ensuring(request(options), Effect.sync(() => (server.answerFirst = current)))
    })
  return { request, taken, cached, settled, viaApi }
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

const createApplication = (
  helper: Effect.Effect.Success<typeof shortcut>,
  name: string,
  headers: Readonly<Record<string, string>> = {}
) =>
  Effect.gen(function*() {
    const created = yield* helper.request({ method: "POST", path: "/api/v1/applications", body: { name }, headers })
    const id = (created.json as { id: string }).id
    yield* helper.settled(`a:${id}`)
    return id
  })

it.layer(ServiceTest())("cached reads", (it) => {
  it.scoped("a repeated read of a configuration or application is answered from the cache, byte for byte as the API answered it", () =>
    Effect.gen(function*() {
      const helper = yield* shortcut
      const { cached, request, taken, viaApi } = helper
      const app = yield* createApplication(helper, "cached-reads")
      const created = yield* request({
        method: "POST",
        path: "/api/v1/configurations",
        body: { application_id: app, name: "flags", config: { dark: true, "ключ": "значение" } }
      })
      const config = (created.json as { id: string }).id
      yield* helper.settled(`c:${config}`, `a:${app}`)
      for (const path of [`/api/v1/configurations/${config}`, `/api/v1/applications/${app}`]) {
        taken()
        const first = yield* viaApi({ path })
        expect(taken()).toBe(0)
        const second = yield* cached({ path })
        expect(first.status).toBe(200)
        expect(visible(second)).toEqual(visible(first))
        expect(Object.keys(second.headers).sort()).toEqual(Object.keys(first.headers).sort())
      }
    }))

  it.scoped("If-None-Match is answered 304 with the ETag, as the API does", () =>
    Effect.gen(function*() {
      const helper = yield* shortcut
      const { cached, request, taken } = helper
      const app = yield* createApplication(helper, "cached-reads-304")
      const path = `/api/v1/applications/${app}`
      const { headers: { etag } } = yield* request({ path })
      const notModified = yield* cached({ path, headers: { "if-none-match": `W/"0", ${etag}` } })
      expect(notModified.status).toBe(304)
      expect(notModified.text).toBe("")
      expect(notModified.headers.etag).toBe(etag)
      expect(notModified.headers["x-content-type-options"]).toBe("nosniff")
      const changed = yield* request({ path, headers: { "if-none-match": `"0-000000000000"` } })
      expect(taken()).toBe(1)
      expect(changed.status).toBe(200)
    }))

  it.scoped("a write is read back at once: the next read loads it afresh, the one after is cached; a deleted one goes on to the API", () =>
    Effect.gen(function*() {
      const helper = yield* shortcut
      const { cached, request, taken } = helper
      const app = yield* createApplication(helper, "cached-reads-write")
      const path = `/api/v1/applications/${app}`
      yield* cached({ path })
      const updated = yield* request({ method: "PUT", path, body: { name: "cached-reads-written" } })
      expect(updated.status).toBe(200)
      yield* helper.settled(`a:${app}`)
      taken()
      const read = yield* request({ path })
      expect(taken()).toBe(1)
      expect(read.json).toMatchObject({ name: "cached-reads-written", version: 2 })
      expect(visible(yield* cached({ path }))).toEqual(visible(read))
      expect(visible(yield* helper.viaApi({ path }))).toEqual(visible(read))
      const removed = yield* request({ method: "DELETE", path })
      expect(removed.status).toBe(204)
      const gone = yield* request({ path })
      expect(gone.status).toBe(404)
      expect(visible(gone)).toEqual(visible(yield* helper.viaApi({ path })))
    }))

  it.scoped("other methods, paths, id spellings and query strings go to the API", () =>
    Effect.gen(function*() {
      const helper = yield* shortcut
      const { cached, request, taken } = helper
      const app = yield* createApplication(helper, "cached-reads-others")
      yield* cached({ path: `/api/v1/applications/${app}` })
      const head = yield* request({ method: "HEAD", path: `/api/v1/applications/${app}` })
      const lower = yield* request({ path: `/api/v1/applications/${app.toLowerCase()}` })
      const query = yield* request({ path: `/api/v1/applications/${app}?x=1` })
      const slash = yield* request({ path: `/api/v1/applications/${app}/` })
      const double = yield* request({ path: `/api//v1/applications/${app}` })
      expect(taken()).toBe(0)
      // An unknown query parameter is refused by the API (400), as unknown body fields are.
      expect([head.status, lower.status, query.status]).toEqual([200, 200, 400])
      expect(lower.json).toMatchObject({ id: app })
      // The router's own leniency (a trailing slash, a doubled one) answers as the API does.
      expect([slash.status, double.status]).toEqual([200, 200])
      expect([slash.json, double.json]).toEqual([lower.json, lower.json])
    }))
})

it.layer(ServiceTest())("a shortcut that throws", (it) => {
  it.scoped("leaves an unanswered request to the API and an answered one as it was", () =>
    Effect.gen(function*() {
      const server = yield* NodeServer
      const request = yield* serverClient
      const answer = server.answerFirst!
      yield* Effect.addFinalizer(() => Effect.sync(() => (server.answerFirst = answer)))
      const created = yield* request({ method: "POST", path: "/api/v1/applications", body: { name: "cached-reads-throws" } })
      const path = `/api/v1/applications/${(created.json as { id: string }).id}`
      server.answerFirst = () => {
        throw new Error("before answering")
      }
      const beforeAnswer = yield* request({ path })
      expect(beforeAnswer.status).toBe(200)
      expect(beforeAnswer.json).toMatchObject({ name: "cached-reads-throws" })
      server.answerFirst = (request, response) => {
        answer(request, response)
        throw new Error("after answering")
      }
      const afterAnswer = yield* request({ path })
      expect(visible(afterAnswer)).toEqual(visible(beforeAnswer))
    }))
})

const readKey = "reader-key-0123456789abcdef"

it.layer(ServiceTest({ API_KEYS: `${readKey}:read,writer-key-0123456789abcdef:write` }))("cached reads with API keys", (it) => {
  it.scoped("need a key that may read; without one the API answers 401", () =>
    Effect.gen(function*() {
      const helper = yield* shortcut
      const { cached, request, taken } = helper
      const writer = { authorization: "Bearer writer-key-0123456789abcdef" }
      const path = `/api/v1/applications/${yield* createApplication(helper, "keyed", writer)}`
      yield* cached({ path, headers: writer })
      expect((yield* request({ path, headers: { authorization: `Bearer ${readKey}` } })).status).toBe(200)
      expect(taken()).toBe(1)
      const anonymous = yield* request({ path })
      const wrong = yield* request({ path, headers: { authorization: "Bearer not-a-key-0123456789abcdef" } })
      expect(taken()).toBe(0)
      expect([anonymous.status, wrong.status]).toEqual([401, 401])
      expect(anonymous.headers["www-authenticate"]).toBeDefined()
    }))
})

const lines: Array<string> = []
const RecordedLogs = Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => lines.push(String(message))))

it.layer(ServiceTest({ LOG_LEVEL: "info" }).pipe(Layer.provide(RecordedLogs)))("cached reads at LOG_LEVEL=info", (it) => {
  it.scoped("are logged like every other request", () =>
    Effect.gen(function*() {
      const helper = yield* shortcut
      const { cached, request, taken } = helper
      const app = yield* createApplication(helper, "cached-reads-logged")
      const path = `/api/v1/applications/${app}`
      yield* cached({ path })
      lines.length = 0
      yield* request({ path })
      expect(taken()).toBe(1)
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(new RegExp(`^GET ${path} 200 \\d+(\\.\\d)?ms$`))
    }))
})
