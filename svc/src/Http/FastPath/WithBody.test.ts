import { expect, it } from "@effect/vitest"
import { Effect, Layer, Logger } from "effect"
import net from "node:net"
import { shortcutSwitch } from "../../../test/Parity.js"
import { ChangeFeed } from "../../ChangeFeed/ChangeFeed.js"
import { response } from "../../../test/Requests.js"
import { ServiceTest } from "../../../test/ServiceTest.js"

const lines: Array<string> = []
const RecordedLogs = Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => lines.push(String(message))))

it.layer(ServiceTest({ LOG_LEVEL: "info" }).pipe(Layer.provide(RecordedLogs)))("POST /validate against a cached schema", (it) => {
  it.scoped("is answered before the API, logged like every other request, and follows schema changes and deletes at once", () =>
    Effect.gen(function*() {
      const { port, server } = yield* shortcutSwitch
      const app = (yield* response(port, { method: "POST", path: "/api/v1/applications", body: { name: "validated" } }))
        .json as { id: string }
      const schemaPath = `/api/v1/applications/${app.id}/schema`
      const strict = { properties: { level: { maximum: 3 } } }
      expect((yield* response(port, { method: "PUT", path: schemaPath, body: strict })).status).toBe(201)

      const answerFirst = server.answerFirst!
      let taken = 0
      server.answerFirst = (request, reply) => {
        const took = answerFirst(request, reply)
        if (took) taken++
        return took
      }
      yield* Effect.addFinalizer(() => Effect.sync(() => (server.answerFirst = answerFirst)))
      const path = `/api/v1/applications/${app.id}/validate`
      const validate = (level: number) => response(port, { method: "POST", path, body: { config: { level } } })

      /**
       * Validates until the shortcut answers. The schema is cached (and the shortcut answers) only
       * while the change feed is trusted, which a busy machine can interrupt by delaying its probes:
       * then the API answers, and the next attempt waits for the feed first.
       */
      const feed = yield* ChangeFeed
      const fromCache = (level: number) =>
        Effect.gen(function*() {
          for (let attempt = 0; attempt < 10; attempt++) {
            for (let i = 0; i < 250 && !feed.trusted(); i++) yield* Effect.promise(() => new Promise((r) => setTimeout(r, 20)))
            lines.length = 0
            taken = 0
            const answer = yield* validate(level)
            if (taken > 0) return answer
          }
          throw new Error(`${path} was never answered from the cache`)
        })

      yield* validate(5) // loads the schema into the read cache, through the API
      const refused = yield* fromCache(5)
      expect([taken, refused.status, refused.json]).toEqual([1, 200, {
        valid: false,
        errors: [{ path: "/level", keyword: "maximum", message: "must be at most 3" }]
      }])
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(new RegExp(`^POST ${path} 200 \\d+(\\.\\d)?ms$`))

      /**
       * A validation of `length` bytes whose first part goes out at once and whose `rest` 300 ms
       * later (or the connection is cut then): the log line it got.
       */
      const halting = (length: number, first: string, rest: string | undefined) =>
        Effect.gen(function*() {
          lines.length = 0
          yield* Effect.promise(() =>
            new Promise<void>((resolve) => {
              const socket = net.connect(port, "127.0.0.1", () => {
                socket.write(`POST ${path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n` +
                  `content-type: application/json\r\ncontent-length: ${length}\r\n\r\n${first}`)
                setTimeout(() => (rest === undefined ? socket.destroy() : socket.write(rest)), 300)
              })
              socket.resume()
              socket.on("close", () => resolve())
            })
          )
          for (let i = 0; i < 100 && lines.length === 0; i++) yield* Effect.promise(() => new Promise((r) => setTimeout(r, 20)))
          expect(lines).toHaveLength(1)
          return lines[0]!
        })

      // A client that leaves halfway through its body is logged as the API logs it.
      expect(yield* halting(100, `{"con`, undefined)).toMatch(new RegExp(`^POST ${path} 499 \\d+(\\.\\d)?ms$`))

      // A body the API refuses is handed on; its log line counts from the request's arrival.
      const [, ms] = /^POST \S+ 400 (\d+(?:\.\d)?)ms$/.exec(yield* halting(13, `{"config":`, "[]}")) ?? []
      expect(Number(ms)).toBeGreaterThanOrEqual(250)

      const loose = { properties: { level: { maximum: 9 } } }
      expect((yield* response(port, { method: "PUT", path: schemaPath, body: loose })).status).toBe(200)
      expect((yield* validate(5)).json).toEqual({ valid: true, errors: [] })

      // Deleting the application drops its cached schema at once, not only when the change feed says so.
      expect((yield* response(port, { method: "DELETE", path: `/api/v1/applications/${app.id}` })).status).toBe(204)
      const gone = yield* validate(5)
      expect([gone.status, (gone.json as { _tag: string })._tag]).toEqual([404, "ApplicationNotFound"])
    }))
})
