import { expect, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { ServiceTest } from "../../test/ServiceTest.js"
import { call, withApp } from "../../test/Watch.js"

const seconds = (started: number) => (performance.now() - started) / 1000

/** A read sent now and answered later: its reply, and how many seconds it took. */
const timed = (port: number, path: string, headers: Record<string, string>) =>
  Effect.fork(Effect.gen(function*() {
    const started = performance.now()
    const reply = yield* call(port, "GET", path, undefined, headers)
    return { reply, seconds: seconds(started) }
  }))

const settle = Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 1_000)))

it.layer(ServiceTest())("blocking reads (?wait=)", (it) => {
  it.effect("while the tag matches: 304 when the wait ends; without wait or without If-None-Match at once", () =>
    Effect.gen(function*() {
      const { app, port, write } = yield* withApp
      const c = yield* write.create(app.id, "c", { v: 1 })
      const path = `/api/v1/configurations/${c.id}`
      const held = yield* Fiber.join(yield* timed(port, `${path}?wait=2`, { "if-none-match": `"1"` }))
      expect(held.reply.status).toBe(304)
      expect(held.reply.headers.etag).toBe(`"1"`)
      expect(held.seconds).toBeGreaterThanOrEqual(1.9)
      const plain = yield* Fiber.join(yield* timed(port, path, { "if-none-match": `"1"` }))
      expect(plain.reply.status).toBe(304)
      const noTag = yield* Fiber.join(yield* timed(port, `${path}?wait=30`, {}))
      expect([noTag.reply.status, noTag.reply.json.version]).toEqual([200, 1])
      expect(noTag.seconds).toBeLessThan(10)
      const stale = yield* Fiber.join(yield* timed(port, `${path}?wait=30`, { "if-none-match": `"0"` }))
      expect(stale.reply.status).toBe(200)
      expect(stale.seconds).toBeLessThan(10)
    }))

  it.effect("a change answers 200 with the new body at once; a delete answers 404", () =>
    Effect.gen(function*() {
      const { app, port, write } = yield* withApp
      const c = yield* write.create(app.id, "c", { v: 1 })
      const path = `/api/v1/configurations/${c.id}`
      const changed = yield* timed(port, `${path}?wait=60`, { "if-none-match": `"1"` })
      yield* settle
      const updated = yield* write.update(c.id, "c", { v: 2 })
      const answer = yield* Fiber.join(changed)
      expect(answer.reply.status).toBe(200)
      expect(answer.reply.json).toEqual(updated)
      expect(answer.reply.headers.etag).toBe(`"2"`)
      expect(answer.seconds).toBeLessThan(30)

      const deleted = yield* timed(port, `${path}?wait=60`, { "if-none-match": `W/"2"` })
      yield* settle
      yield* write.remove(c.id)
      const gone = yield* Fiber.join(deleted)
      expect(gone.reply.status).toBe(404)
      expect(gone.reply.json._tag).toBe("ConfigurationNotFound")
      expect(gone.seconds).toBeLessThan(30)
    }))

  it.effect("an application's read is answered when its configurations change", () =>
    Effect.gen(function*() {
      const { app, port, write } = yield* withApp
      const path = `/api/v1/applications/${app.id}`
      const first = yield* call(port, "GET", path)
      const held = yield* timed(port, `${path}?wait=60`, { "if-none-match": first.headers.etag! })
      yield* settle
      const c = yield* write.create(app.id, "c")
      const answer = yield* Fiber.join(held)
      expect(answer.reply.status).toBe(200)
      expect(answer.reply.json.configuration_ids).toEqual([c.id])
      expect(answer.seconds).toBeLessThan(30)
    }))

  it.effect("wait is 1 to 60 in decimal digits; anything else is 400", () =>
    Effect.gen(function*() {
      const { app, port } = yield* withApp
      for (const wait of ["0", "61", "1.5", "+1", "1e1", "x", ""]) {
        const reply = yield* call(port, "GET", `/api/v1/applications/${app.id}?wait=${wait}`)
        expect(reply.status, wait).toBe(400)
        expect(reply.json._tag, wait).toBe("HttpApiDecodeError")
      }
    }))
})

it.layer(ServiceTest({ WATCH_MAX_STREAMS: "1" }))("blocking reads beyond WATCH_MAX_STREAMS", (it) => {
  it.effect("count against the limit: 503 TooManyWatchers with Retry-After while one is held", () =>
    Effect.gen(function*() {
      const { app, port, write } = yield* withApp
      const c = yield* write.create(app.id, "c")
      const path = `/api/v1/configurations/${c.id}?wait=60`
      const held = yield* timed(port, path, { "if-none-match": `"1"` })
      yield* settle
      const refused = yield* call(port, "GET", path, undefined, { "if-none-match": `"1"` })
      expect(refused.status).toBe(503)
      expect(refused.headers["retry-after"]).toBe("1")
      expect(refused.json._tag).toBe("TooManyWatchers")
      expect((yield* call(port, "GET", `/api/v1/configurations/${c.id}`, undefined, { "if-none-match": `"1"` })).status)
        .toBe(304)
      yield* write.update(c.id, "c", { v: 2 })
      expect((yield* Fiber.join(held)).reply.status).toBe(200)
    }))
})
