import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { Agent } from "node:http"
import path from "node:path"
import { type HttpOutcome, send } from "../test/Net.js"
import {
  descendantsOf,
  ensureBuilt,
  isRunning,
  killLeftoverPostgres,
  postgresProcessesFor,
  postmasterOf,
  query,
  type Service,
  startService,
  stillPresentAfter,
  stopService,
  tempDir,
  waitReady
} from "../test/Process.js"
import { freshDatabase } from "./Testing/TestDatabase.js"

ensureBuilt()

type Fields = Record<string, unknown>

/**
 * One row as the load wrote it: the fields each version should have, the highest version
 * acknowledged with a 2xx, and whether a further write was sent without an answer (its
 * outcome unknown: committed or not).
 */
interface Tracked {
  readonly kind: "application" | "configuration"
  readonly versions: Map<number, Fields>
  id?: string
  created?: Record<string, unknown>
  acked: number
  unanswered: boolean
}

interface Load {
  readonly applications: Array<Tracked>
  readonly configurations: Array<Tracked>
  /** Non-2xx answers while the service was up: there must be none. */
  readonly rejected: Array<string>
  /** How each loop ended (the failure that stopped it). */
  readonly endings: Array<string>
  acknowledged: number
}

const describeOutcome = (outcome: HttpOutcome) =>
  outcome._tag === "Response"
    ? `${outcome.status}: ${outcome.text.slice(0, 300)}`
    : `${outcome.code} (${outcome.message})`

/**
 * `loops` writers, each on its own keep-alive connection, each repeating: create an
 * application, create a configuration in it, replace that configuration, rename the
 * application. Runs until a request fails (the service is gone).
 */
const runLoad = (port: number, tag: string, loops: number) => {
  const load: Load = { applications: [], configurations: [], rejected: [], endings: [], acknowledged: 0 }
  /** Sends one write of `row`'s next version; true when it was acknowledged with `status`. */
  const write = async (
    agent: Agent,
    row: Tracked,
    version: number,
    request: { method: string; path: string },
    status: number
  ) => {
    const body = row.versions.get(version)!
    row.unanswered = true
    const outcome = await send({ port, agent, ...request, body, timeoutMs: 10_000 })
    if (outcome._tag === "Response" && outcome.status === status) {
      const json = outcome.json as Record<string, unknown>
      row.unanswered = false
      row.acked = version
      row.id ??= json.id as string
      row.created ??= json
      load.acknowledged++
      return true
    }
    if (outcome._tag === "Response") load.rejected.push(`${request.method} ${request.path}: ${describeOutcome(outcome)}`)
    load.endings.push(describeOutcome(outcome))
    return false
  }
  const loop = async (i: number) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      for (let n = 0; n < 10_000; n++) {
        const name = `${tag}-${i}-${n}`
        const application: Tracked = {
          kind: "application",
          versions: new Map([[1, { name, comments: `writer ${i}` }], [2, { name: `${name}-renamed`, comments: null }]]),
          acked: 0,
          unanswered: false
        }
        load.applications.push(application)
        if (!await write(agent, application, 1, { method: "POST", path: "/api/v1/applications" }, 201)) return
        const config = { writer: i, n, flags: { on: true, list: [1, 2, 3] }, text: "x".repeat(200) }
        const configuration: Tracked = {
          kind: "configuration",
          versions: new Map([
            [1, { application_id: application.id, name: "main", comments: null, config }],
            [2, { name: "main", comments: "replaced", config: { ...config, n: n + 1_000_000, replaced: true } }]
          ]),
          acked: 0,
          unanswered: false
        }
        load.configurations.push(configuration)
        if (!await write(agent, configuration, 1, { method: "POST", path: "/api/v1/configurations" }, 201)) return
        const configurationPath = `/api/v1/configurations/${configuration.id}`
        if (!await write(agent, configuration, 2, { method: "PUT", path: configurationPath }, 200)) return
        const applicationPath = `/api/v1/applications/${application.id}`
        if (!await write(agent, application, 2, { method: "PUT", path: applicationPath }, 200)) return
      }
    } finally {
      agent.destroy()
    }
  }
  const done = Promise.all(Array.from({ length: loops }, (_, i) => loop(i)))
  return { load, done }
}

/** Lets the load run at least `minMs` and until `minAcknowledged` writes are acknowledged, then SIGKILLs `pids`. */
const killUnderLoad = (load: Load, pids: () => ReadonlyArray<number>, minMs: number, minAcknowledged: number) =>
  Effect.promise(async () => {
    const started = Date.now()
    while (Date.now() - started < 15_000 && (Date.now() - started < minMs || load.acknowledged < minAcknowledged)) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const targets = pids()
    for (const pid of targets) process.kill(pid, "SIGKILL")
    return { afterMs: Date.now() - started, acknowledged: load.acknowledged, killed: targets }
  })

interface Row {
  readonly id: string
  readonly [column: string]: unknown
}

/** The fields of a version, as a row of that kind must show them. */
const expectedFields = (row: Tracked, version: number): Fields => {
  if (row.kind === "application") return row.versions.get(version)!
  const { application_id, ...rest } = row.versions.get(version)!
  return { ...rest, application_id: application_id ?? row.versions.get(1)!.application_id }
}

const pick = (row: Row, keys: ReadonlyArray<string>) => Object.fromEntries(keys.map((key) => [key, row[key]]))

/**
 * Every acknowledged write is in the database with the acknowledged content (or the next
 * one, when a further write was in flight at the kill), every row stems from a write the
 * load sent, and no row is half written. Each configuration's history is exactly the
 * writes that committed — version n for its n-th — and each application's revisions
 * run 1, 2, 3 … with no gap.
 */
const verify = (load: Load, databaseUrl: string, service: Service) =>
  Effect.gen(function*() {
    const applications = yield* query<Row>(databaseUrl, "SELECT * FROM applications ORDER BY id")
    const configurations = yield* query<Row>(databaseUrl, "SELECT * FROM configurations ORDER BY id")
    const apps = new Map(applications.map((row) => [row.id, row]))
    const configs = new Map(configurations.map((row) => [row.id, row]))
    const accounted = new Set<string>()
    const committed = new Map<Tracked, Row>()

    const check = (tracked: Tracked, rows: Map<string, Row>, all: Array<Row>, keys: ReadonlyArray<string>) => {
      const first = tracked.versions.get(1)!
      const row = tracked.id !== undefined
        ? rows.get(tracked.id)
        : all.find((candidate) =>
          candidate.name === first.name &&
          (tracked.kind === "application" || candidate.application_id === first.application_id)
        )
      const label = `${tracked.kind} ${tracked.id ?? `(unanswered create ${JSON.stringify(first)})`}`
      if (tracked.acked === 0) {
        // Created without an answer: it may exist, then exactly as sent.
        if (row !== undefined) {
          accounted.add(row.id)
          committed.set(tracked, row)
          expect(row.version, label).toBe(1)
          expect(pick(row, keys), label).toEqual(expectedFields(tracked, 1))
        }
        return
      }
      expect(row, `${label}: acknowledged (version ${tracked.acked}) but missing`).toBeDefined()
      accounted.add(row!.id)
      committed.set(tracked, row!)
      const version = row!.version as number
      expect(version, `${label}: version`).toBeGreaterThanOrEqual(tracked.acked)
      expect(version, `${label}: version`).toBeLessThanOrEqual(tracked.acked + (tracked.unanswered ? 1 : 0))
      expect(pick(row!, keys), `${label} at version ${version}`).toEqual(expectedFields(tracked, version))
    }
    for (const tracked of load.applications) check(tracked, apps, applications, ["name", "comments"])
    for (const tracked of load.configurations) {
      check(tracked, configs, configurations, ["application_id", "name", "comments", "config"])
    }
    // No row the load did not write.
    expect(applications.filter((row) => !accounted.has(row.id)).map((row) => row.name)).toEqual([])
    expect(configurations.filter((row) => !accounted.has(row.id)).map((row) => row.id)).toEqual([])

    // Each committed configuration has exactly its versions 1..n, as written, in revision order; and no version
    // of a write that did not commit.
    const versions = yield* query<Row>(
      databaseUrl,
      `SELECT configuration_id AS id, application_id, version, revision::int AS revision, op, name, comments, config
       FROM configuration_versions ORDER BY application_id, revision`
    )
    const historyKeys = ["version", "op", "application_id", "name", "comments", "config"]
    for (const tracked of load.configurations) {
      const row = committed.get(tracked)
      if (row === undefined) continue
      const history = versions.filter((version) => version.id === row.id)
      const expected = Array.from({ length: row.version as number }, (_, i) => ({
        version: i + 1,
        op: i === 0 ? "create" : "update",
        ...expectedFields(tracked, i + 1)
      }))
      expect(history.map((version) => pick(version, historyKeys)), `history of ${row.id}`).toEqual(expected)
    }
    expect(versions.filter((version) => !configs.has(version.id)).map((version) => version.id)).toEqual([])
    for (const application of applications) {
      const revisions = versions.filter((version) => version.application_id === application.id).map((v) => v.revision)
      expect(revisions, `revisions of ${application.id}`).toEqual(revisions.map((_, i) => i + 1))
      expect(Number(application.revision), `revision of ${application.id}`).toBe(revisions.length)
    }

    // No half-written rows: every required column set, versions and timestamps coherent, no dangling configuration.
    const [integrity] = yield* query<Record<string, number>>(
      databaseUrl,
      `SELECT
         (SELECT count(*)::int FROM applications
           WHERE name IS NULL OR created_at IS NULL OR updated_at IS NULL OR version IS NULL) AS null_applications,
         (SELECT count(*)::int FROM configurations
           WHERE application_id IS NULL OR name IS NULL OR config IS NULL
              OR created_at IS NULL OR updated_at IS NULL OR version IS NULL) AS null_configurations,
         (SELECT count(*)::int FROM configurations c LEFT JOIN applications a ON a.id = c.application_id
           WHERE a.id IS NULL) AS dangling_configurations,
         (SELECT count(*)::int FROM (SELECT version, created_at, updated_at FROM applications
                                     UNION ALL SELECT version, created_at, updated_at FROM configurations) r
           WHERE version < 1 OR updated_at < created_at OR (version = 1 AND updated_at <> created_at)) AS incoherent,
         (SELECT count(*)::int FROM configurations WHERE jsonb_typeof(config) <> 'object') AS bad_config`
    )
    expect(integrity).toEqual({
      null_applications: 0,
      null_configurations: 0,
      dangling_configurations: 0,
      incoherent: 0,
      bad_config: 0
    })

    // The restarted service serves the same rows: the list, and each acknowledged row in full.
    const list = yield* Effect.promise(() => send({ port: service.port, path: "/api/v1/applications" }))
    expect(list._tag === "Response" && list.status, describeOutcome(list)).toBe(200)
    const listed = (list as { json: Array<{ id: string; configuration_ids: Array<string> }> }).json
    expect(listed.map((a) => a.id)).toEqual(applications.map((row) => row.id))
    for (const application of listed) {
      const ids = configurations.filter((row) => row.application_id === application.id).map((row) => row.id).sort()
      expect(application.configuration_ids).toEqual(ids)
    }
    const acknowledgedConfigurations = load.configurations.filter((tracked) => tracked.acked > 0)
    // A few at a time: hundreds at once would be more than the pool's queue takes, and rightly shed (503 ServiceBusy).
    const answers = yield* Effect.forEach(
      acknowledgedConfigurations,
      (tracked) => Effect.promise(() => send({ port: service.port, path: `/api/v1/configurations/${tracked.id}` })),
      { concurrency: 8 }
    )
    answers.forEach((answer, i) => {
      const tracked = acknowledgedConfigurations[i]!
      expect(answer._tag === "Response" && answer.status, describeOutcome(answer)).toBe(200)
      const body = (answer as { json: Record<string, unknown> }).json
      expect(body.created_at).toBe(tracked.created!.created_at)
      expect(body.created_at).toBe((configs.get(tracked.id!)!.created_at as Date).toISOString())
      expect(body).toMatchObject(expectedFields(tracked, body.version as number))
    })
    return { applications: applications.length, configurations: configurations.length, versions: versions.length }
  })

const summary = (load: Load) => ({
  acknowledged: load.acknowledged,
  unanswered: [...load.applications, ...load.configurations].filter((row) => row.unanswered).length
})

// The writes of the load wait on each other's locks: on a busy machine that can pass the default 1.5 s
// request deadline, and a 503 before the kill is not what these tests are about.
const patient = { DATABASE_REQUEST_TIMEOUT: "20 seconds" }

// The two cases share nothing and mostly wait (process starts, PostgreSQL recovery), so they run side by side.
describe.concurrent("kill -9 under write load", () => {
  it.scopedLive("on DATABASE_URL: after a restart every acknowledged write is there and no row is half written", () =>
    Effect.gen(function*() {
      const url = Redacted.value(yield* freshDatabase)
      const first = yield* startService({ ...patient, DATABASE_URL: url, LOG_LEVEL: "warn", DATABASE_POOL_SIZE: "16" })
      yield* waitReady(first)

      const { done, load } = runLoad(first.port, "url", 12)
      const kill = yield* killUnderLoad(load, () => [first.pid], 1_000, 80)
      yield* Effect.promise(() => done)
      expect((yield* Effect.promise(() => first.exited)).signal).toBe("SIGKILL")
      expect(load.rejected, "non-2xx answers before the kill").toEqual([])
      expect(load.endings.length).toBe(12)
      for (const ending of load.endings) expect(ending).toMatch(/^(ECONNRESET|ECONNREFUSED|EPIPE|socket hang up)/)

      const second = yield* startService({ DATABASE_URL: url, LOG_LEVEL: "warn" })
      yield* waitReady(second)
      const counts = yield* verify(load, url, second)
      console.log(`kill -9 on DATABASE_URL: ${JSON.stringify({ ...kill, ...summary(load), ...counts })}`)
      expect(counts.applications).toBeGreaterThanOrEqual(20)

      const exit = yield* stopService(second)
      expect(exit, second.output()).toEqual({ code: 0, signal: null })
    }), 60_000)

  it.scopedLive(
    "on the embedded database: the next start stops the orphan, recovers the data directory and every acknowledged write",
    () =>
      Effect.gen(function*() {
        const dataDir = path.join(yield* tempDir("crash"), "postgres")
        yield* Effect.addFinalizer(() => Effect.asVoid(killLeftoverPostgres(dataDir)))
        const env = { ...patient, DATABASE_URL: "", EMBEDDED_PG_DIR: dataDir, LOG_LEVEL: "warn", LOG_FORMAT: "json" }
        const databaseUrl = () => `postgres://postgres:postgres@127.0.0.1:${postmasterOf(dataDir)!.port}/postgres`

        // 1. kill -9 the service alone: its PostgreSQL keeps running as an orphan.
        const first = yield* startService(env)
        yield* waitReady(first, 45_000)
        const orphan = postmasterOf(dataDir)!.pid
        const firstRun = runLoad(first.port, "orphan", 8)
        const firstKill = yield* killUnderLoad(firstRun.load, () => [first.pid], 800, 60)
        yield* Effect.promise(() => firstRun.done)
        expect(firstRun.load.rejected, "non-2xx answers before the kill").toEqual([])
        yield* Effect.promise(() => first.exited)
        expect(isRunning(orphan), "the embedded PostgreSQL outlives a kill -9 of the service").toBe(true)

        const second = yield* startService(env)
        yield* waitReady(second, 45_000)
        expect(isRunning(orphan), "the restarted service stopped the orphan").toBe(false)
        expect(second.output()).toContain(`stopping the PostgreSQL server (pid ${orphan}) left running`)
        expect(postgresProcessesFor(dataDir)).toEqual([postmasterOf(dataDir)!.pid])
        const firstCounts = yield* verify(firstRun.load, databaseUrl(), second)

        // 2. kill -9 the service and its whole PostgreSQL at once (as an OOM kill or `docker kill` would):
        //    the next start replays the write-ahead log.
        const secondRun = runLoad(second.port, "crash", 8)
        const postmaster = postmasterOf(dataDir)!.pid
        const secondKill = yield* killUnderLoad(
          secondRun.load,
          () => [second.pid, postmaster, ...descendantsOf(postmaster)],
          800,
          60
        )
        yield* Effect.promise(() => secondRun.done)
        expect(secondRun.load.rejected, "non-2xx answers before the kill").toEqual([])
        yield* Effect.promise(() => second.exited)
        // A supervisor restarts the service once the killed processes are gone (reaped).
        expect(yield* stillPresentAfter(secondKill.killed, 10_000), "still there after kill -9").toEqual([])

        const third = yield* startService(env)
        yield* waitReady(third, 45_000)
        const secondCounts = yield* verify(
          {
            ...secondRun.load,
            applications: [...firstRun.load.applications, ...secondRun.load.applications],
            configurations: [...firstRun.load.configurations, ...secondRun.load.configurations]
          },
          databaseUrl(),
          third
        )
        console.log(`kill -9 on the embedded database: ${
          JSON.stringify({
            orphan: { ...firstKill, ...summary(firstRun.load), ...firstCounts },
            whole: { ...secondKill, killed: secondKill.killed.length, ...summary(secondRun.load), ...secondCounts }
          })
        }`)

        // SIGTERM stops the service and its PostgreSQL: nothing is left running on the data directory.
        const exit = yield* stopService(third)
        expect(exit, third.output()).toEqual({ code: 0, signal: null })
        const leftovers = yield* killLeftoverPostgres(dataDir)
        expect(leftovers, "PostgreSQL processes left on the data directory").toEqual([])
      }),
    90_000
  )
})
