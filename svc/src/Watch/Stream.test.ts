import { expect, it } from "@effect/vitest"
import { Duration, Effect, Layer } from "effect"
import { ServiceTest } from "../../test/ServiceTest.js"
import { changeIds, eventually, openSse } from "../../test/Sse.js"
import { call, withApp } from "../../test/Watch.js"
import { drain, NodeServer } from "../Http/Edge/NodeServer.js"
import { WatchTuning } from "./Tuning.js"

/** Whether a new stream on the application would be refused now (503), opening none: a blocking read counts too. */
const full = (port: number, configurationId: string) =>
  Effect.map(
    call(port, "GET", `/api/v1/configurations/${configurationId}?wait=1`, undefined, { "if-none-match": "*" }),
    (reply) => reply.status === 503
  )

it.layer(ServiceTest({ WATCH_MAX_STREAMS: "2" }))("watch streams beyond WATCH_MAX_STREAMS", (it) => {
  it.scoped("a third is 503 TooManyWatchers with Retry-After; a stream that ends makes room", () =>
    Effect.gen(function*() {
      const { app, port } = yield* withApp
      const path = `/api/v1/applications/${app.id}/watch`
      const one = yield* openSse(port, path)
      yield* openSse(port, path)
      const refused = yield* openSse(port, path)
      expect(refused.status).toBe(503)
      expect(refused.headers["retry-after"]).toBe("1")
      expect(yield* eventually(() => refused.closed())).toBe(true)
      expect(JSON.parse(refused.body())._tag).toBe("TooManyWatchers")
      one.close()
      let again = refused
      for (let i = 0; i < 50 && again.status === 503; i++) again = yield* openSse(port, path)
      expect(again.status).toBe(200)
    }))
})

const tuned = Layer.succeed(WatchTuning, { ...WatchTuning.defaultValue(), maxBufferedBytes: 256 * 1024 })

it.layer(ServiceTest({ WATCH_MAX_STREAMS: "1" }).pipe(Layer.provide(tuned)))("a client that stops reading", (it) => {
  it.scoped("is dropped once 256 KiB wait for it (its slot freed); it resumes with Last-Event-ID and misses nothing", () =>
    Effect.gen(function*() {
      const { app, port, write } = yield* withApp
      const c = yield* write.create(app.id, "big")
      const slow = yield* openSse(port, `/api/v1/applications/${app.id}/watch`)
      expect(yield* eventually(() => slow.events.length > 0)).toBe(true)
      slow.pause()
      // Kernel socket buffers take a few MiB before the service sees the client is not reading.
      let revision = 1
      for (let batch = 0; batch < 16 && (yield* full(port, c.id)); batch++) {
        for (let i = 0; i < 10; i++) {
          yield* write.update(c.id, "big", { revision: ++revision, padding: "x".repeat(256 * 1024) })
        }
      }
      expect(yield* full(port, c.id)).toBe(false)
      slow.resume()
      expect(yield* eventually(() => slow.closed(), 30)).toBe(true)
      const received = changeIds(slow.events)
      expect(received.length).toBeLessThan(revision - 1)
      expect(received).toEqual(received.map((_, i) => i + 2))

      const resumed = yield* openSse(port, `/api/v1/applications/${app.id}/watch`, {
        "last-event-id": String(received.at(-1) ?? 1)
      })
      expect(yield* eventually(() => changeIds(resumed.events).at(-1) === revision, 30)).toBe(true)
      expect([...received, ...changeIds(resumed.events)]).toEqual(Array.from({ length: revision - 1 }, (_, i) => i + 2))
    }), { timeout: 120_000 })
})

it.layer(ServiceTest())("watch streams on shutdown", (it) => {
  it.scoped("end at once when draining begins, and do not hold it up", () =>
    Effect.gen(function*() {
      const { app, port } = yield* withApp
      const streams = yield* Effect.forEach([1, 2, 3], () => openSse(port, `/api/v1/applications/${app.id}/watch`))
      expect(yield* eventually(() => streams.every((s) => s.events.length > 0))).toBe(true)
      const started = performance.now()
      yield* drain(yield* NodeServer, Duration.seconds(30))
      expect((performance.now() - started) / 1000).toBeLessThan(10)
      expect(yield* eventually(() => streams.every((s) => s.closed()), 5)).toBe(true)
    }))
})
