import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { ensureBuilt, query, type Service } from "../test/Process.js"
import { response as request } from "../test/Requests.js"
import { missing, startDeployment as deployment } from "../test/ScaleOut.js"

ensureBuilt()

if (missing.length > 0) {
  console.log(
    `scale-out suite left out: ${missing.join(" and ")} not installed ` +
      "(apt-get install pgbouncer haproxy; make -C svc test installs them when run as root)"
  )
}

const sleep = (ms: number) => Effect.promise(() => new Promise((resolve) => setTimeout(resolve, ms)))

/** Every migration was applied exactly once, whichever instance got there first. */
const expectMigratedOnce = (instances: ReadonlyArray<Service>, direct: string) =>
  Effect.gen(function*() {
    const ledger = yield* query<{ version: number }>(direct, "SELECT version FROM migrations ORDER BY version")
    const applied = instances.flatMap((instance) => instance.output().match(/applied migration \d{4}_\S+/g) ?? [])
    expect(applied.sort()).toEqual(ledger.map((row) => expect.stringContaining(String(row.version).padStart(4, "0"))))
    expect(ledger.length).toBeGreaterThanOrEqual(3)
  })

/**
 * Writes through the balancer; every instance, asked directly, must answer with the write (or
 * something newer) once a second has passed since it was acknowledged — however loaded the
 * machine, since the bound is on when a read starts. Each instance read the old value first,
 * so a cache that missed the change would show it.
 */
const expectNeverStale = (balancer: number, instances: ReadonlyArray<Service>, rounds: number) =>
  Effect.gen(function*() {
    const app = yield* request(balancer, { method: "POST", path: "/api/v1/applications", body: { name: "fleet" } })
    const created = yield* request(balancer, {
      method: "POST",
      path: "/api/v1/configurations",
      body: { application_id: (app.json as { id: string }).id, name: "production", config: { round: 0 } }
    })
    const path = `/api/v1/configurations/${(created.json as { id: string }).id}`
    const lags: Array<number> = []
    for (let round = 1; round <= rounds; round++) {
      for (const instance of instances) yield* request(instance.port, { path })
      const written = yield* request(balancer, { method: "PUT", path, body: { name: "production", config: { round } } })
      expect(written.status, written.text).toBe(200)
      const acknowledged = Date.now()
      const version = (written.json as { version: number }).version
      for (const instance of instances) {
        let read = yield* request(instance.port, { path })
        while ((read.json as { version: number }).version < version && Date.now() - acknowledged < 1_000) {
          read = yield* request(instance.port, { path })
        }
        if ((read.json as { version: number }).version >= version) lags.push(Date.now() - acknowledged)
      }
      const wait = acknowledged + 1_000 - Date.now()
      if (wait > 0) yield* sleep(wait)
      for (const instance of instances) {
        const read = yield* request(instance.port, { path })
        expect((read.json as { version: number }).version, `instance on ${instance.port}, round ${round}`)
          .toBeGreaterThanOrEqual(version)
      }
    }
    console.log(`a write through the balancer read on each instance after ${lags.join(", ")} ms`)
  })

/** N writes with the same `If-Match`, spread over the instances by the balancer: exactly one wins. */
const expectOneWinner = (balancer: number, writers: number) =>
  Effect.gen(function*() {
    const app = yield* request(balancer, { method: "POST", path: "/api/v1/applications", body: { name: "contested" } })
    const path = `/api/v1/applications/${(app.json as { id: string }).id}`
    const etag = app.headers.etag!
    const outcomes = yield* Effect.all(
      Array.from({ length: writers }, (_, i) =>
        request(balancer, { method: "PUT", path, headers: { "if-match": etag }, body: { name: `contested-${i}` } })),
      { concurrency: "unbounded" }
    )
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual([200, ...Array(writers - 1).fill(412)])
    const final = yield* request(balancer, { path })
    expect((final.json as { version: number }).version).toBe(2)
  })

/** The API's main paths through the balancer, answering as the SPEC says. */
const expectWholeApi = (balancer: number) =>
  Effect.gen(function*() {
    const app = yield* request(balancer, { method: "POST", path: "/api/v1/applications", body: { name: "billing" } })
    expect(app.status, app.text).toBe(201)
    const id = (app.json as { id: string }).id
    expect(app.headers.location).toBe(`/api/v1/applications/${id}`)
    expect((yield* request(balancer, { method: "POST", path: "/api/v1/applications", body: { name: "billing" } })).status)
      .toBe(409)
    const config = yield* request(balancer, {
      method: "POST",
      path: "/api/v1/configurations",
      body: { application_id: id, name: "production", config: { currency: "EUR", nested: { retries: 3 } } }
    })
    expect(config.status, config.text).toBe(201)
    const configPath = config.headers.location!
    for (let i = 0; i < 3; i++) {
      const read = yield* request(balancer, { path: configPath })
      expect(read.json).toEqual(config.json)
      expect((yield* request(balancer, { path: configPath, headers: { "if-none-match": read.headers.etag! } })).status)
        .toBe(304)
    }
    const stale = yield* request(balancer, {
      method: "PUT",
      path: configPath,
      headers: { "if-match": `"0"` },
      body: { name: "production", config: {} }
    })
    expect(stale.status).toBe(412)
    const listed = yield* request(balancer, { path: `/api/v1/applications/${id}/configurations` })
    expect(listed.json).toEqual([config.json])
    const page = yield* request(balancer, { path: "/api/v1/applications?limit=1" })
    expect((page.json as Array<{ id: string }>).map((a) => a.id)).toEqual([id])
    expect((yield* request(balancer, { method: "DELETE", path: `/api/v1/applications/${id}` })).status).toBe(409)
    expect((yield* request(balancer, { method: "DELETE", path: `/api/v1/applications/${id}?cascade=true` })).status)
      .toBe(204)
    for (let i = 0; i < 3; i++) expect((yield* request(balancer, { path: configPath })).status).toBe(404)
  })

describe.skipIf(missing.length > 0)("behind PgBouncer (transaction pooling) and HAProxy, three instances", () => {
  it.scopedLive("with DATABASE_LISTEN_URL on PostgreSQL: migrated once, the whole API, never a stale read, one If-Match winner", () =>
    Effect.gen(function*() {
      const { balancer, direct, instances } = yield* deployment({ listenDirect: true })
      yield* expectMigratedOnce(instances, direct)
      for (const instance of instances) {
        let ready = yield* request(instance.port, { path: "/health/ready" })
        for (let i = 0; i < 50 && (ready.json as any).checks.change_feed !== "ok"; i++) {
          yield* sleep(100)
          ready = yield* request(instance.port, { path: "/health/ready" })
        }
        expect((ready.json as any).checks.change_feed).toBe("ok")
      }
      yield* expectWholeApi(balancer.port)
      yield* expectNeverStale(balancer.port, instances, 6)
      yield* expectOneWinner(balancer.port, 12)
      for (const instance of instances) expect(instance.output()).not.toMatch(/ERROR|FATAL|InternalError/)
    }), 120_000)

  it.scopedLive("with the change feed listening through PgBouncer: no tick arrives, the log keeps every instance trusted and never stale", () =>
    Effect.gen(function*() {
      const { balancer, instances } = yield* deployment({ listenDirect: false })
      for (const instance of instances) {
        let ready = yield* request(instance.port, { path: "/health/ready" })
        for (let i = 0; i < 50 && (ready.json as any).checks.change_feed !== "ok"; i++) {
          yield* sleep(100)
          ready = yield* request(instance.port, { path: "/health/ready" })
        }
        expect(ready.status).toBe(200)
        expect((ready.json as any).checks.change_feed).toBe("ok")
      }
      yield* expectNeverStale(balancer.port, instances, 4)
      yield* expectOneWinner(balancer.port, 8)
      for (const instance of instances) {
        const output = instance.output()
        // Before another instance has migrated there is no log to read: said at info level, no warning.
        expect(output).not.toMatch(/WARN|ERROR|FATAL|InternalError/)
        expect(output.lastIndexOf("reads are not cached")).toBeLessThanOrEqual(output.lastIndexOf("change feed trusted again"))
      }
    }), 120_000)
})
