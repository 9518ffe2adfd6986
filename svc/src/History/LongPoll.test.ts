import { HttpClient, HttpClientRequest } from "@effect/platform"
import { expect, layer } from "@effect/vitest"
import { Duration, Effect, Fiber } from "effect"
import { ServiceTest } from "../../test/ServiceTest.js"
import { makeClient } from "../Http/Client.js"
import type { ApplicationId } from "../Domain/Ids.js"

const seconds = (duration: Duration.Duration) => Duration.toSeconds(duration)

/** An application with one configuration (revision 1). */
const application = Effect.gen(function*() {
  const client = yield* makeClient()
  const app = yield* client.applications.create({ payload: { name: `poll-${Math.random().toString(36).slice(2)}` } })
  const configuration = yield* client.configurations.create({
    payload: { application_id: app.id, name: "c", config: {} }
  })
  return { client, app, configuration }
})

const poll = (id: ApplicationId, after: number, wait: number) =>
  Effect.flatMap(makeClient(), (client) =>
    Effect.timed(client.history.changes({ path: { id }, urlParams: { after, wait } })))

const status = (url: string) =>
  Effect.flatMap(HttpClient.HttpClient, (http) =>
    Effect.map(http.execute(HttpClientRequest.get(url)), (response) => ({
      status: response.status,
      retryAfter: response.headers["retry-after"]
    })))

// The service on the real clock: a request with `wait` waits in real seconds.
layer(ServiceTest(), { excludeTestServices: true })("changes with ?wait (long poll) over HTTP", (it) => {
  it.effect("a change after `after` is answered at once, without waiting", () =>
    Effect.gen(function*() {
      const { app, configuration } = yield* application
      const [took, page] = yield* poll(app.id, 0, 60)
      expect(page.changes.map((c) => [c.revision, c.configuration_id])).toEqual([[1, configuration.id]])
      expect(seconds(took)).toBeLessThan(30)
    }))

  it.effect("while nothing came after `after`, a write from another request answers it with that change", () =>
    Effect.gen(function*() {
      const { app, client, configuration } = yield* application
      const waiting = yield* Effect.fork(poll(app.id, 1, 60))
      yield* Effect.sleep("300 millis")
      yield* client.configurations.update({ path: { id: configuration.id }, payload: { name: "c", config: { v: 2 } } })
      const [took, page] = yield* Fiber.join(waiting)
      expect(page.revision).toBe(2)
      expect(page.changes.map((c) => [c.revision, c.op, c.version])).toEqual([[2, "update", 2]])
      expect(seconds(took)).toBeLessThan(30)
    }))

  it.effect("with no change before the wait ends: 200 with no changes, after about `wait` seconds", () =>
    Effect.gen(function*() {
      const { app } = yield* application
      const [took, page] = yield* poll(app.id, 1, 1)
      expect(page).toEqual({ revision: 1, changes: [] })
      expect(seconds(took)).toBeGreaterThanOrEqual(0.9)
      expect(seconds(took)).toBeLessThan(30)
    }))

  it.effect("waiting requests hold no database connection: more of them than the pool has, and writes go on", () =>
    Effect.gen(function*() {
      const { app, client, configuration } = yield* application
      const waiting = yield* Effect.forEach(Array.from({ length: 8 }), () => Effect.fork(poll(app.id, 1, 60)))
      yield* Effect.sleep("500 millis")
      const other = yield* application
      expect((yield* other.client.configurations.get({ path: { id: other.configuration.id } , urlParams: {} })).version).toBe(1)
      yield* client.configurations.update({ path: { id: configuration.id }, payload: { name: "c", config: { v: 2 } } })
      for (const fiber of waiting) {
        const [took, page] = yield* Fiber.join(fiber)
        expect(page.changes.map((c) => c.revision)).toEqual([2])
        expect(seconds(took)).toBeLessThan(30)
      }
    }))

  it.effect("an application deleted while a request waits on it answers 404", () =>
    Effect.gen(function*() {
      const client = yield* makeClient()
      const app = yield* client.applications.create({ payload: { name: "short-lived" } })
      const waiting = yield* Effect.fork(Effect.flip(poll(app.id, 0, 60)))
      yield* Effect.sleep("300 millis")
      yield* client.applications.delete({ path: { id: app.id }, urlParams: {} })
      expect((yield* Fiber.join(waiting))._tag).toBe("ApplicationNotFound")
    }))
})

const TwoWaits = ServiceTest({ WATCH_MAX_STREAMS: "2" })

layer(TwoWaits, { excludeTestServices: true })("long polls beyond WATCH_MAX_STREAMS", (it) => {
  it.effect("are 503 TooManyWatchers with Retry-After; requests without wait are not counted", () =>
    Effect.gen(function*() {
      const { app, client, configuration } = yield* application
      const waiting = yield* Effect.forEach([1, 2], () => Effect.fork(poll(app.id, 1, 60)))
      yield* Effect.sleep("1 second")
      const url = `/api/v1/applications/${app.id}/changes`
      const third = status(`${url}?after=1&wait=1`)
      let answer = yield* third
      for (let attempt = 0; attempt < 10 && answer.status !== 503; attempt++) answer = yield* third
      expect(answer).toEqual({ status: 503, retryAfter: "1" })
      expect((yield* status(`${url}?after=1`)).status).toBe(200)
      yield* client.configurations.update({ path: { id: configuration.id }, payload: { name: "c", config: { v: 2 } } })
      for (const fiber of waiting) expect((yield* Fiber.join(fiber))[1].changes.map((c) => c.revision)).toEqual([2])
      expect((yield* status(`${url}?after=1&wait=1`)).status).toBe(200)
    }))
})
