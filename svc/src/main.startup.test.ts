import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { readdirSync } from "node:fs"
import path from "node:path"
import pg from "pg"
import { accepts, type HttpOutcome, send } from "../test/Net.js"
import {
  ensureBuilt,
  exitWithin,
  query,
  type Service,
  startService,
  stopService,
  waitReady
} from "../test/Process.js"
import { serviceRoot } from "./Settings.js"
import { freshDatabase } from "./Testing/TestDatabase.js"

ensureBuilt()

const migrationFiles = readdirSync(path.join(serviceRoot, "migrations"))
  .filter((file) => /^\d{4}_.+\.sql$/.test(file))
  .sort()

const describeOutcome = (outcome: HttpOutcome) =>
  outcome._tag === "Response" ? `${outcome.status}: ${outcome.text.slice(0, 300)}` : `${outcome.code} (${outcome.message})`

/** The `message` of every JSON log line that has one. */
const logMessages = (stdout: string) =>
  stdout.split("\n").flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as { message?: unknown }
      return typeof parsed.message === "string" ? [parsed.message] : []
    } catch {
      return []
    }
  })

/** The advisory lock key every migration runner takes (`lockKey` in `Migrations/Migrator.ts`). */
const migrationLockKey = 0x636f6e666967

/** A session holding the migrator's advisory lock until released. */
const holdMigrationLock = (url: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      await client.query("SELECT pg_advisory_lock($1)", [migrationLockKey])
      let released = false
      return {
        release: async () => {
          if (released) return
          released = true
          await client.query("SELECT pg_advisory_unlock($1)", [migrationLockKey])
          await client.end()
        }
      }
    }),
    (gate) => Effect.promise(() => gate.release())
  )

/** Waits until `count` sessions of the service wait on an advisory lock in the database at `url`. */
const waitForAdvisoryWaiters = (url: string, count: number, instances: ReadonlyArray<Service>) =>
  Effect.gen(function*() {
    // As long as `waitReady` allows: three processes starting at once on two busy cores have taken over 20 s.
    const deadline = Date.now() + 45_000
    let waiting = 0
    while (Date.now() < deadline) {
      const [row] = yield* query<{ waiting: number }>(
        url,
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'config-service'
            AND wait_event_type = 'Lock' AND wait_event = 'advisory'`
      )
      waiting = row!.waiting
      if (waiting === count) return
      if (instances.some((instance) => !instance.running())) break
      yield* Effect.sleep("20 millis")
    }
    return yield* Effect.die(
      new Error(
        `${waiting} of ${count} instances waited for the migration lock ` +
          `(does Migrations/Migrator.ts still take pg_advisory_xact_lock(${migrationLockKey})?); output:\n` +
          instances.map((instance) => instance.output()).join("\n---\n")
      )
    )
  })

describe("instances starting together", () => {
  it.scopedLive("three on one empty database all come up, and each migration is applied exactly once", () =>
    Effect.gen(function*() {
      expect(migrationFiles.length).toBeGreaterThanOrEqual(2)
      const url = Redacted.value(yield* freshDatabase)
      const env = { DATABASE_URL: url, MIGRATE_ON_START: "true", LOG_LEVEL: "info", LOG_FORMAT: "json" }
      // Hold the migrator's lock until all three wait on it, so they really race for the migrations.
      const gate = yield* holdMigrationLock(url)
      const instances = yield* Effect.all([startService(env), startService(env), startService(env)])
      yield* waitForAdvisoryWaiters(url, instances.length, instances)
      yield* Effect.promise(() => gate.release())
      yield* Effect.all(instances.map((instance) => waitReady(instance, 45_000)), { concurrency: "unbounded" })

      // The ledger holds one row per file, and exactly one instance applied each file.
      const ledger = yield* query<{ version: number; name: string }>(
        url,
        "SELECT version, name FROM migrations ORDER BY version"
      )
      expect(ledger.map((row) => `${String(row.version).padStart(4, "0")}_${row.name}.sql`)).toEqual(migrationFiles)
      const applied = instances.flatMap((instance) =>
        logMessages(instance.stdout()).flatMap((message) => /^applied migration (\S+) in \d+ ms$/.exec(message)?.[1] ?? [])
      )
      expect(applied.sort(), instances.map((instance) => instance.output()).join("\n---\n")).toEqual(migrationFiles)
      for (const instance of instances) {
        expect(instance.output()).not.toMatch(/"level":"(ERROR|FATAL)"/)
        expect(instance.running()).toBe(true)
      }

      // Each instance serves, and sees what the others wrote.
      const created = yield* Effect.promise(() =>
        Promise.all(instances.map((instance, i) =>
          send({ port: instance.port, method: "POST", path: "/api/v1/applications", body: { name: `instance-${i}` } })
        ))
      )
      for (const outcome of created) {
        expect(outcome._tag === "Response" && outcome.status, describeOutcome(outcome)).toBe(201)
      }
      for (const instance of instances) {
        const list = yield* Effect.promise(() => send({ port: instance.port, path: "/api/v1/applications" }))
        expect(list._tag === "Response" && list.status, describeOutcome(list)).toBe(200)
        expect((list as { json: Array<{ name: string }> }).json.map((a) => a.name).sort()).toEqual([
          "instance-0",
          "instance-1",
          "instance-2"
        ])
      }

      const exits = yield* Effect.all(instances.map((instance) => stopService(instance)), { concurrency: "unbounded" })
      for (const exit of exits) expect(exit).toEqual({ code: 0, signal: null })
    }), 120_000)

  it.scopedLive("with MIGRATE_ON_START=false an empty database stops the service with a message naming the setting", () =>
    Effect.gen(function*() {
      const url = Redacted.value(yield* freshDatabase)
      const service = yield* startService({ DATABASE_URL: url, MIGRATE_ON_START: "false", LOG_FORMAT: "json" })
      const exit = yield* exitWithin(service, 20_000)
      expect(exit.signal).toBeNull()
      expect(exit.code, service.output()).not.toBe(0)
      expect(exit.code).not.toBeNull()
      expect(service.output()).toContain("MIGRATE_ON_START")
      expect(service.output()).toMatch(/pending/)
      expect(yield* accepts(service.port)).toBe(false)
      const tables = yield* query<{ name: string }>(
        url,
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
      )
      expect(tables).toEqual([])
    }), 30_000)
})
