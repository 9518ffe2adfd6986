import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { ensureBuilt, query, type Service } from "../test/Process.js"
import { outcome, response } from "../test/Requests.js"
import { missing, startDeployment } from "../test/ScaleOut.js"
import { changeIds, eventually, openSse, type SseEvent } from "../test/Sse.js"

ensureBuilt()

type Json = any

/** PgBouncer (transaction pooling), three instances listening for changes on PostgreSQL itself, HAProxy in front. */
const deployment = startDeployment({ listenDirect: true, logLevel: "warning" })

/** The instance whose `X-Instance-Id` a stream answered with, asking each instance directly. */
const servingInstance = (instances: ReadonlyArray<Service>, path: string, instanceId: string) =>
  Effect.gen(function*() {
    for (const instance of instances) {
      const probe = yield* Effect.scoped(openSse(instance.port, path))
      if (probe.headers["x-instance-id"] === instanceId) return instance
    }
    throw new Error(`no instance answers as ${instanceId}`)
  })

describe.skipIf(missing.length > 0)("watch streams behind HAProxy, three instances over PgBouncer", () => {
  it.scopedLive("a stream whose instance is killed -9 resumes on another with Last-Event-ID and misses nothing", () =>
    Effect.gen(function*() {
      const { balancer, direct, instances } = yield* deployment
      const app = (yield* response(balancer.port, { method: "POST", path: "/api/v1/applications", body: { name: "watched" } })) as Json
      expect(app.status, app.text).toBe(201)
      const path = `/api/v1/applications/${app.json.id}/watch`
      const created = (yield* response(balancer.port, {
        method: "POST",
        path: "/api/v1/configurations",
        body: { application_id: app.json.id, name: "production", config: { n: 0 } }
      })) as Json
      expect(created.status, created.text).toBe(201)

      const first = yield* openSse(balancer.port, path, { "last-event-id": "0" })
      expect(first.status).toBe(200)
      const victim = yield* servingInstance(instances, path, String(first.headers["x-instance-id"]))

      // Writes through the balancer the whole time; one in flight on the killed instance may fail.
      const writes = yield* Effect.fork(Effect.gen(function*() {
        let acknowledged = 0
        for (let n = 1; n <= 60; n++) {
          const reply = yield* outcome(balancer.port, {
            method: "PUT",
            path: `/api/v1/configurations/${created.json.id}`,
            body: { name: "production", config: { n } }
          })
          if (reply._tag === "Response" && reply.status === 200) acknowledged++
          yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 20)))
        }
        return acknowledged
      }))
      expect(yield* eventually(() => changeIds(first.events).length >= 15, 30)).toBe(true)
      victim.child.kill("SIGKILL")
      expect(yield* eventually(() => first.closed(), 30)).toBe(true)

      const received: Array<SseEvent> = [...first.events]
      const lastId = received.filter((e) => e.id !== undefined).at(-1)!.id!
      let second = yield* openSse(balancer.port, path, { "last-event-id": lastId })
      for (let i = 0; i < 20 && second.status !== 200; i++) second = yield* openSse(balancer.port, path, { "last-event-id": lastId })
      expect(second.status).toBe(200)
      expect(second.headers["x-instance-id"]).not.toBe(first.headers["x-instance-id"])

      expect(yield* Fiber.join(writes)).toBeGreaterThanOrEqual(55)
      const [{ revision }] = yield* query<{ revision: number }>(
        direct,
        "SELECT revision::int AS revision FROM applications WHERE id = $1",
        [app.json.id]
      )
      expect(yield* eventually(() => changeIds(second.events).at(-1) === revision, 30)).toBe(true)
      const all = [...changeIds(received), ...changeIds(second.events)]
      expect(all).toEqual(Array.from({ length: revision }, (_, i) => i + 1))
      const rows = yield* query<{ config: Json }>(
        direct,
        "SELECT config FROM configuration_versions WHERE application_id = $1 ORDER BY revision",
        [app.json.id]
      )
      const events = [...received, ...second.events].filter((e) => e.event === "change")
      expect(events.map((e) => JSON.parse(e.data).configuration.config)).toEqual(rows.map((row) => row.config))
    }), 180_000)
})
