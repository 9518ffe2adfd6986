import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Logger, Redacted, Scope } from "effect"
import path from "node:path"
import { accepts, freePort, type HttpOutcome, send } from "../../test/Net.js"
import {
  descendantsOf,
  ensureBuilt,
  killLeftoverPostgres,
  postmasterOf,
  startService,
  stopService,
  tempDir,
  waitReady
} from "../../test/Process.js"
import { startEmbeddedPostgres } from "../Postgres/EmbeddedPostgres.js"

ensureBuilt()

const silently = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.provide(effect, Logger.remove(Logger.defaultLogger))

const describeOutcome = (outcome: HttpOutcome) =>
  outcome._tag === "Response"
    ? `${outcome.status} in ${outcome.ms} ms: ${outcome.text.slice(0, 300)}`
    : `${outcome.code} after ${outcome.ms} ms (${outcome.message})`

/** A 503 `DatabaseUnavailable` with `Retry-After`, answered within 2 s. */
const expectUnavailable = (what: string, outcome: HttpOutcome) => {
  expect(outcome._tag, `${what}: ${describeOutcome(outcome)}`).toBe("Response")
  if (outcome._tag !== "Response") return
  expect(outcome.status, `${what}: ${describeOutcome(outcome)}`).toBe(503)
  expect(outcome.ms, `${what} took ${outcome.ms} ms`).toBeLessThan(2_000)
  expect(outcome.headers["retry-after"], what).toMatch(/^\d+$/)
  expect(outcome.json, what).toMatchObject({ _tag: "DatabaseUnavailable", message: expect.any(String) })
}

describe("a PostgreSQL outage", () => {
  it.scopedLive("is answered with a fast 503 + Retry-After while it lasts, and heals without a restart", () =>
    Effect.gen(function*() {
      const dataDir = path.join(yield* tempDir("outage"), "data")
      yield* Effect.addFinalizer(() => Effect.asVoid(killLeftoverPostgres(dataDir)))
      const pgPort = yield* freePort

      const before = yield* Scope.make()
      const running = yield* silently(startEmbeddedPostgres(dataDir, { port: pgPort }).pipe(Scope.extend(before)))
      const service = yield* startService({
        DATABASE_URL: Redacted.value(running.url),
        DATABASE_CONNECT_TIMEOUT: "1 second",
        LOG_LEVEL: "warn",
        LOG_FORMAT: "json"
      })
      yield* waitReady(service)
      const port = service.port

      // Data written before the outage, and a pool full of (soon stale) connections.
      const app = yield* Effect.promise(() =>
        send({ port, method: "POST", path: "/api/v1/applications", body: { name: "survives-outage", comments: "before" } })
      )
      expect(app._tag === "Response" && app.status, describeOutcome(app)).toBe(201)
      const appBody = (app as { json: { id: string } }).json
      const config = yield* Effect.promise(() =>
        send({
          port,
          method: "POST",
          path: "/api/v1/configurations",
          body: { application_id: appBody.id, name: "production", config: { retries: 3 } }
        })
      )
      expect(config._tag === "Response" && config.status, describeOutcome(config)).toBe(201)
      const configBody = (config as { json: { id: string } }).json
      const warm = yield* Effect.promise(() =>
        Promise.all(Array.from({ length: 12 }, () => send({ port, path: "/api/v1/applications" })))
      )
      for (const outcome of warm) expect(outcome._tag === "Response" && outcome.status, describeOutcome(outcome)).toBe(200)

      // The outage: PostgreSQL stops (fast shutdown, as on a database restart or failover).
      yield* silently(Scope.close(before, Exit.void))
      expect(yield* accepts(pgPort)).toBe(false)

      const apiRequests = [
        { method: "GET", path: "/api/v1/applications" },
        { method: "GET", path: `/api/v1/applications/${appBody.id}` },
        { method: "GET", path: `/api/v1/applications/${appBody.id}/configurations` },
        { method: "GET", path: `/api/v1/configurations/${configBody.id}` },
        { method: "POST", path: "/api/v1/applications", body: { name: "during-outage" } },
        { method: "PUT", path: `/api/v1/applications/${appBody.id}`, body: { name: "renamed-during-outage" } },
        {
          method: "PUT",
          path: `/api/v1/configurations/${configBody.id}`,
          body: { name: "production", config: { retries: 99 } }
        },
        { method: "DELETE", path: `/api/v1/configurations/${configBody.id}` }
      ] as const
      // One at a time (the first ones meet the pool's stale connections), then all at once, twice.
      for (const request of apiRequests) {
        expectUnavailable(`${request.method} ${request.path}`, yield* Effect.promise(() => send({ port, ...request })))
      }
      for (let round = 0; round < 2; round++) {
        const outcomes = yield* Effect.promise(() =>
          Promise.all([...apiRequests, ...apiRequests].map((request) => send({ port, ...request })))
        )
        outcomes.forEach((outcome, i) => {
          const request = apiRequests[i % apiRequests.length]!
          expectUnavailable(`${request.method} ${request.path} (concurrent)`, outcome)
        })
      }

      const ready = yield* Effect.promise(() => send({ port, path: "/health/ready" }))
      expect(ready._tag === "Response" && ready.status, describeOutcome(ready)).toBe(503)
      expect(ready.ms).toBeLessThan(2_000)
      expect((ready as { json: unknown }).json).toMatchObject({ _tag: "NotReady", checks: { database: "unreachable" } })
      const live = yield* Effect.promise(() => send({ port, path: "/health/live" }))
      expect(live._tag === "Response" && live.status, describeOutcome(live)).toBe(200)
      expect(live.ms).toBeLessThan(2_000)
      expect(service.running(), service.output()).toBe(true)

      // PostgreSQL comes back on the same data directory and port; the same process serves again.
      const after = yield* Scope.make()
      yield* silently(startEmbeddedPostgres(dataDir, { port: pgPort }).pipe(Scope.extend(after)))
      const databaseReady = performance.now()
      let recovered: HttpOutcome | undefined
      let attempts = 0
      while (performance.now() - databaseReady < 15_000) {
        attempts++
        const outcome = yield* Effect.promise(() => send({ port, path: `/api/v1/applications/${appBody.id}` }))
        if (outcome._tag === "Response" && outcome.status === 200) {
          recovered = outcome
          break
        }
        if (outcome._tag === "Response") expectUnavailable("while PostgreSQL starts serving", outcome)
        else expect.fail(`while PostgreSQL starts serving: ${describeOutcome(outcome)}`)
        yield* Effect.sleep("10 millis")
      }
      const recoveryMs = Math.round(performance.now() - databaseReady)
      console.log(`outage recovery: ${recoveryMs} ms (${attempts} requests from PostgreSQL ready to the first 200)`)
      expect(recovered, `no 200 within 15 s of PostgreSQL being ready; output:\n${service.output()}`).toBeDefined()
      expect(recoveryMs).toBeLessThan(2_000)
      expect(service.running()).toBe(true)

      // Everything works again, on the data written before the outage, and nothing from the outage was written.
      expect((recovered as { json: unknown }).json).toEqual({ ...appBody, configuration_ids: [configBody.id] })
      const readAgain = yield* Effect.promise(() => send({ port, path: `/api/v1/configurations/${configBody.id}` }))
      expect(readAgain._tag === "Response" && readAgain.json).toEqual(configBody)
      const all = yield* Effect.promise(() =>
        Promise.all(Array.from({ length: 12 }, () => send({ port, path: "/api/v1/applications" })))
      )
      for (const outcome of all) {
        expect(outcome._tag === "Response" && outcome.status, describeOutcome(outcome)).toBe(200)
        expect((outcome as { json: Array<{ name: string }> }).json.map((a) => a.name)).toEqual(["survives-outage"])
      }
      const created = yield* Effect.promise(() =>
        send({ port, method: "POST", path: "/api/v1/applications", body: { name: "after-outage" } })
      )
      expect(created._tag === "Response" && created.status, describeOutcome(created)).toBe(201)
      const readyAgain = yield* Effect.promise(() => send({ port, path: "/health/ready" }))
      expect(readyAgain._tag === "Response" && readyAgain.status, describeOutcome(readyAgain)).toBe(200)

      const exit = yield* stopService(service)
      expect(exit, service.output()).toEqual({ code: 0, signal: null })
      yield* silently(Scope.close(after, Exit.void))
    }), 60_000)

  it.scopedLive("a frozen PostgreSQL (it stops answering, as in a network partition) still gets a 503 within 2 s, never a hang", () =>
    Effect.gen(function*() {
      const dataDir = path.join(yield* tempDir("frozen"), "data")
      yield* Effect.addFinalizer(() => Effect.asVoid(killLeftoverPostgres(dataDir)))
      const running = yield* silently(startEmbeddedPostgres(dataDir))
      const service = yield* startService({ DATABASE_URL: Redacted.value(running.url), LOG_LEVEL: "warn" })
      yield* waitReady(service)
      const port = service.port
      const app = yield* Effect.promise(() =>
        send({ port, method: "POST", path: "/api/v1/applications", body: { name: "before-freeze" } })
      )
      expect(app._tag === "Response" && app.status, describeOutcome(app)).toBe(201)
      const appId = (app as { json: { id: string } }).json.id

      const postgres = [postmasterOf(dataDir)!.pid, ...descendantsOf(postmasterOf(dataDir)!.pid)]
      const signal = (name: NodeJS.Signals) =>
        postgres.forEach((pid) => {
          try {
            process.kill(pid, name)
          } catch {
            // a backend that ended meanwhile
          }
        })
      const resume = () => signal("SIGCONT")
      yield* Effect.addFinalizer(() => Effect.sync(resume))
      signal("SIGSTOP")

      const requests = [
        { method: "POST", path: "/api/v1/applications", body: { name: "during-freeze" } },
        { method: "PUT", path: `/api/v1/applications/${appId}`, body: { name: "renamed-during-freeze" } },
        { method: "GET", path: `/api/v1/applications/${appId}/configurations` }
      ] as const
      for (const request of requests) {
        expectUnavailable(`${request.method} ${request.path} (frozen)`, yield* Effect.promise(() => send({ port, ...request })))
      }
      const concurrent = yield* Effect.promise(() => Promise.all(requests.map((request) => send({ port, ...request }))))
      concurrent.forEach((outcome, i) => expectUnavailable(`${requests[i]!.method} ${requests[i]!.path} (frozen, concurrent)`, outcome))

      resume()
      let healed: HttpOutcome | undefined
      const resumed = performance.now()
      while (performance.now() - resumed < 15_000) {
        healed = yield* Effect.promise(() => send({ port, path: `/api/v1/applications/${appId}/configurations` }))
        if (healed._tag === "Response" && healed.status === 200) break
        yield* Effect.sleep("20 millis")
      }
      expect(healed?._tag === "Response" && healed.status, healed && describeOutcome(healed)).toBe(200)
      const exit = yield* stopService(service)
      expect(exit, service.output()).toEqual({ code: 0, signal: null })
    }), 60_000)
})
