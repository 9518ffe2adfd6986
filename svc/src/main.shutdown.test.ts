import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { Agent } from "node:http"
import pg from "pg"
import { accepts, type HttpOutcome, send } from "../test/Net.js"
import { ensureBuilt, query, type Service, startService, stillPresentAfter, waitReady } from "../test/Process.js"
import { freshDatabase } from "./Testing/TestDatabase.js"

ensureBuilt()

const describeOutcome = (outcome: HttpOutcome) =>
  outcome._tag === "Response"
    ? `${outcome.status} (connection: ${outcome.headers.connection ?? "-"}): ${outcome.text.slice(0, 200)}`
    : `${outcome.code} (${outcome.message}; connected: ${outcome.connected}, reused: ${outcome.reusedSocket})`

/**
 * A transaction holding `FOR UPDATE` locks on the given applications: writes to them (and
 * configurations created in them) wait inside the service until it commits.
 */
const lockApplications = (url: string, ids: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      await client.query("BEGIN")
      await client.query("SELECT id FROM applications WHERE id = ANY($1) FOR UPDATE", [ids])
      let released = false
      return {
        release: async () => {
          if (released) return
          released = true
          await client.query("COMMIT")
          await client.end()
        }
      }
    }),
    (lock) => Effect.promise(() => lock.release())
  )

/** Waits until `count` of the service's statements wait on a lock in the database at `url`. */
const waitForBlocked = (url: string, count: number) =>
  Effect.gen(function*() {
    const deadline = Date.now() + 15_000
    let waiting = 0
    while (Date.now() < deadline) {
      const [row] = yield* query<{ waiting: number }>(
        url,
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'config-service' AND wait_event_type = 'Lock'`
      )
      waiting = row!.waiting
      if (waiting === count) return
      yield* Effect.sleep("20 millis")
    }
    return yield* Effect.die(new Error(`${waiting} of ${count} requests reached the database lock`))
  })

const createApplications = (service: Service, names: ReadonlyArray<string>) =>
  Effect.promise(() =>
    Promise.all(names.map(async (name) => {
      const outcome = await send({ port: service.port, method: "POST", path: "/api/v1/applications", body: { name } })
      if (outcome._tag !== "Response" || outcome.status !== 201) throw new Error(describeOutcome(outcome))
      return (outcome.json as { id: string }).id
    }))
  )

/** Status and `Connection` header of an answer. */
const answered = (outcome: HttpOutcome) =>
  outcome._tag === "Response" ? `${outcome.status}, connection: ${outcome.headers.connection ?? "-"}` : outcome.code

interface Client {
  readonly keepAlive: boolean
  readonly agent: Agent | false
  readonly applicationId: string
  /** The write sent before SIGTERM, answered only once the lock goes. */
  blocked?: HttpOutcome
  /** What the client sent after its blocked write was answered, until a request failed. */
  readonly followUps: Array<HttpOutcome>
}

describe("SIGTERM under load", () => {
  it.scopedLive(
    "lets every request in flight finish, refuses new connections, and exits 0 within the grace period",
    () =>
      Effect.gen(function*() {
        const url = Redacted.value(yield* freshDatabase)
        const service = yield* startService({
          DATABASE_URL: url,
          SHUTDOWN_GRACE_PERIOD: "5 seconds",
          DATABASE_POOL_SIZE: "24",
          // The writes wait on a lock until after SIGTERM; on a busy machine that can pass the default
          // 1.5 s deadline, which would answer them 503 before the shutdown this test is about.
          DATABASE_REQUEST_TIMEOUT: "20 seconds",
          LOG_LEVEL: "warn"
        })
        yield* waitReady(service)
        const port = service.port

        // 16 clients: 8 on keep-alive connections already open and used, 8 opening a connection per request.
        const ids = yield* createApplications(service, Array.from({ length: 16 }, (_, i) => `shutdown-${i}`))
        const clients: Array<Client> = ids.map((applicationId, i) => ({
          keepAlive: i < 8,
          agent: i < 8 ? new Agent({ keepAlive: true, maxSockets: 1 }) : false,
          applicationId,
          followUps: []
        }))
        yield* Effect.addFinalizer(() =>
          Effect.sync(() => clients.forEach((client) => client.agent && client.agent.destroy()))
        )
        for (const client of clients) {
          if (!client.agent) continue
          const warm = yield* Effect.promise(() =>
            send({ port, agent: client.agent, path: `/api/v1/applications/${client.applicationId}` })
          )
          expect(warm._tag === "Response" && warm.status, describeOutcome(warm)).toBe(200)
        }

        // Every client sends a write that waits on the lock: all 16 are inside the service when SIGTERM comes.
        const lock = yield* lockApplications(url, ids)
        const writes = clients.map((client, i) =>
          client.keepAlive
            ? {
              method: "PUT",
              path: `/api/v1/applications/${client.applicationId}`,
              body: { name: `shutdown-${i}-renamed`, comments: "in flight at SIGTERM" }
            }
            : {
              method: "POST",
              path: "/api/v1/configurations",
              body: { application_id: client.applicationId, name: "in-flight", config: { client: i } }
            }
        )
        const traffic = clients.map(async (client, i) => {
          client.blocked = await send({ port, agent: client.agent, ...writes[i]!, timeoutMs: 20_000 })
          // Then the client goes on as a busy client would, until the service stops answering.
          for (let n = 0; n < 200; n++) {
            const outcome = await send({
              port,
              agent: client.agent,
              path: `/api/v1/applications/${client.applicationId}`,
              timeoutMs: 20_000
            })
            client.followUps.push(outcome)
            if (outcome._tag === "Failure") return
          }
        })
        yield* waitForBlocked(url, clients.length)

        const signalled = performance.now()
        service.child.kill("SIGTERM")
        const exited = service.exited.then((exit) => ({ ...exit, afterMs: Math.round(performance.now() - signalled) }))
        yield* Effect.sleep("500 millis")
        expect(service.running(), "still running while requests are in flight").toBe(true)
        expect(yield* accepts(port), "new connections are refused once SIGTERM arrived").toBe(false)
        yield* Effect.promise(() => lock.release())

        yield* Effect.promise(() => Promise.all(traffic))
        const exit = yield* Effect.promise(() => exited)

        // Every write that was in flight finished with its 2xx answer, read to the end.
        clients.forEach((client, i) => {
          const blocked = client.blocked!
          expect(blocked._tag === "Response" && blocked.status, `client ${i}: ${describeOutcome(blocked)}`).toBe(
            client.keepAlive ? 200 : 201
          )
        })
        // After that, a request is either answered in full, or its new connection refused (the listener is
        // closed); a request sent on a connection the service kept open is never reset.
        const refused = clients.filter((client) => {
          const last = client.followUps.at(-1)
          return last?._tag === "Failure" && last.code === "ECONNREFUSED"
        })
        const resets = clients.flatMap((client, i) =>
          client.followUps.flatMap((outcome, n) =>
            outcome._tag === "Failure" && outcome.code !== "ECONNREFUSED"
              ? [
                `client ${i} (keep-alive: ${client.keepAlive}): follow-up ${n + 1}, after ${n} answered ` +
                `(the answer before: ${answered(n > 0 ? client.followUps[n - 1]! : client.blocked!)}): ` +
                describeOutcome(outcome)
              ]
              : []
          )
        )
        console.log(
          `SIGTERM under load: exited ${JSON.stringify(exit)}; ${refused.length} clients refused, ${resets.length} reset`
        )
        expect.soft(resets, "requests reset on connections the service kept open").toEqual([])
        expect(refused.length + resets.length).toBe(clients.length)
        expect(exit.code, service.output()).toBe(0)
        expect(exit.signal).toBeNull()
        expect(exit.afterMs, "exit within the grace period").toBeLessThan(5_000)

        // Every acknowledged write is in the database.
        const applications = yield* query<{ id: string; name: string; comments: string | null; version: number }>(
          url,
          "SELECT id, name, comments, version FROM applications WHERE id = ANY($1)",
          [ids]
        )
        const configurations = yield* query<{ application_id: string; config: unknown }>(
          url,
          "SELECT application_id, config FROM configurations"
        )
        clients.forEach((client, i) => {
          if (client.keepAlive) {
            expect(applications.find((row) => row.id === client.applicationId)).toEqual({
              id: client.applicationId,
              name: `shutdown-${i}-renamed`,
              comments: "in flight at SIGTERM",
              version: 2
            })
          } else {
            expect(configurations.filter((row) => row.application_id === client.applicationId)).toEqual([
              { application_id: client.applicationId, config: { client: i } }
            ])
          }
        })
        expect(yield* stillPresentAfter([service.pid], 1_000)).toEqual([])
      }),
    60_000
  )

  it.scopedLive("cuts requests still running after SHUTDOWN_GRACE_PERIOD, exits 0 on time, leaves no half-written row", () =>
    Effect.gen(function*() {
      const url = Redacted.value(yield* freshDatabase)
      // The stuck requests must outlast the grace period: no request deadline of their own cuts them first.
      const service = yield* startService({
        DATABASE_URL: url,
        SHUTDOWN_GRACE_PERIOD: "1 second",
        DATABASE_REQUEST_TIMEOUT: "60 seconds",
        LOG_LEVEL: "warn"
      })
      yield* waitReady(service)
      const port = service.port
      const ids = yield* createApplications(service, ["stuck-0", "stuck-1", "stuck-2", "stuck-3"])

      // Four writes wait on a lock that outlives the grace period.
      const lock = yield* lockApplications(url, ids)
      const stuck = ids.map((id, i) =>
        i % 2 === 0
          ? send({ port, method: "PUT", path: `/api/v1/applications/${id}`, body: { name: `stuck-${i}-renamed` } })
          : send({
            port,
            method: "POST",
            path: "/api/v1/configurations",
            body: { application_id: id, name: "stuck", config: { i } }
          })
      )
      yield* waitForBlocked(url, ids.length)

      const signalled = performance.now()
      service.child.kill("SIGTERM")
      const exit = yield* Effect.promise(() => service.exited)
      const afterMs = Math.round(performance.now() - signalled)
      const outcomes = yield* Effect.promise(() => Promise.all(stuck))
      console.log(`past the grace period (1 s): exited ${JSON.stringify(exit)} ${afterMs} ms after SIGTERM`)
      expect(exit, service.output()).toEqual({ code: 0, signal: null })
      expect(afterMs, "exit within the grace period and a small margin").toBeLessThan(2_500)
      expect(afterMs, "requests in flight get the whole grace period").toBeGreaterThanOrEqual(1_000)
      // The requests were cut (or answered 503): none reports a success the database cannot back.
      for (const outcome of outcomes) expect(describeOutcome(outcome)).toMatch(/^503 |^ECONNRESET /)

      // Released after the service is gone: whatever it had sent either happened whole or not at all.
      yield* Effect.promise(() => lock.release())
      const applications = yield* query<{ name: string; version: number }>(
        url,
        "SELECT name, version FROM applications ORDER BY name"
      )
      expect(applications.map((row) => row.name.replace("-renamed", ""))).toEqual(
        ["stuck-0", "stuck-1", "stuck-2", "stuck-3"]
      )
      for (const row of applications) expect(row.version, row.name).toBe(row.name.endsWith("-renamed") ? 2 : 1)
      const [integrity] = yield* query<{ bad: number }>(
        url,
        `SELECT count(*)::int AS bad FROM configurations c LEFT JOIN applications a ON a.id = c.application_id
          WHERE a.id IS NULL OR c.config IS NULL OR c.name IS NULL`
      )
      expect(integrity!.bad).toBe(0)
    }), 60_000)
})
