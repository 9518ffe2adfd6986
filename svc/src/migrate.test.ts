import { expect, it } from "@effect/vitest"
import { Effect, Exit, Logger, Redacted, Scope } from "effect"
import { execFile } from "node:child_process"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { connect, ledger, makeMigrator } from "../test/Migrations.js"
import { postgresProcessesFor, query, tempDir } from "../test/Process.js"
import { startEmbeddedPostgres } from "./Postgres/EmbeddedPostgres.js"
import { freshDatabase } from "./Testing/TestDatabase.js"

/** The service folder; `dist/migrate.js` is built there before the tests run (`make test`). */
const serviceRoot = fileURLToPath(new URL("..", import.meta.url))

interface Outcome {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  /** stdout and stderr together. */
  readonly output: string
}

/** Runs `node dist/migrate.js <args>` with the given settings on top of the environment; the timeout only proves it ends (a busy machine can take seconds to start node). */
const migrate = (args: ReadonlyArray<string>, env: Record<string, string>) =>
  Effect.async<Outcome>((resume) => {
    const child = execFile(
      process.execPath,
      ["dist/migrate.js", ...args],
      { cwd: serviceRoot, env: { ...process.env, LOG_LEVEL: "warning", ...env }, timeout: 60_000, killSignal: "SIGKILL" },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null
        resume(Effect.succeed({ code, stdout, stderr, output: `${stdout}\n${stderr}` }))
      }
    )
    return Effect.sync(() => child.kill("SIGKILL"))
  })

/** A fresh, empty database and the settings pointing the program at it. */
const database = Effect.map(freshDatabase, (url) => ({ url, env: { DATABASE_URL: Redacted.value(url) } }))

it.scoped("status lists both migrations as pending, up applies them, verify passes", () =>
  Effect.gen(function*() {
    const { env, url } = yield* database

    const status = yield* migrate(["status"], env)
    expect(status.code, status.output).toBe(0)
    expect(status.stdout).toMatch(/^version\s+name\s+state\s+applied at\s+duration$/m)
    expect(status.stdout).toMatch(/^0001\s+initial_schema\s+pending$/m)
    expect(status.stdout).toMatch(/^0002\s+timestamps_and_versions\s+pending$/m)

    const up = yield* migrate(["up"], env)
    expect(up.code, up.output).toBe(0)
    expect(up.stdout.trim()).toBe(
      "applied 0001_initial_schema.sql, 0002_timestamps_and_versions.sql, 0003_change_notifications.sql, " +
        "0004_configuration_history.sql, 0005_application_schemas.sql, 0006_change_log.sql"
    )
    const sql = yield* connect(url)
    expect((yield* ledger(sql)).map((row) => row.name)).toEqual([
      "initial_schema",
      "timestamps_and_versions",
      "change_notifications",
      "configuration_history",
      "application_schemas",
      "change_log"
    ])

    const [again, verify, after] = yield* Effect.all([
      migrate(["up"], env),
      migrate(["verify"], env),
      migrate(["status"], env)
    ], { concurrency: "unbounded" })
    expect(again.code, again.output).toBe(0)
    expect(again.stdout.trim()).toBe("up to date: nothing to apply")
    expect(verify.code, verify.output).toBe(0)
    expect(verify.stdout.trim()).toBe("ok: 6 migration files match the ledger")
    expect(after.code, after.output).toBe(0)
    expect(after.stdout).toMatch(/^0001\s+initial_schema\s+applied\s+\S+\s+\d+ ms$/m)
    expect(after.stdout).toMatch(/^0002\s+timestamps_and_versions\s+applied\s+\S+\s+\d+ ms$/m)
  }), 180_000)

it.scoped("verify exits non-zero naming the problem when the ledger has a migration whose file is gone", () =>
  Effect.gen(function*() {
    const { env, url } = yield* database
    yield* Effect.flatMap(makeMigrator(url), (migrator) => migrator.up)
    const sql = yield* connect(url)
    yield* sql`INSERT INTO migrations (version, name, checksum, duration_ms) VALUES (999, 'vanished', 'abc', 1)`
    const verify = yield* migrate(["verify"], env)
    expect(verify.code).not.toBe(0)
    expect(verify.output).toContain("0999_vanished.sql: applied, but the file is gone")
    expect(verify.stdout).not.toContain("ok:")
  }), 60_000)

it.scoped("an unknown command exits non-zero with the usage line", () =>
  Effect.gen(function*() {
    const { env, url } = yield* database
    const [bogus, none] = yield* Effect.all([migrate(["bogus"], env), migrate([], env)], { concurrency: "unbounded" })
    for (const outcome of [bogus, none]) {
      expect(outcome.code).not.toBe(0)
      expect(outcome.code).not.toBeNull()
      expect(outcome.output).toContain("usage: npm run migrate -- <up|status|verify>")
    }
    const sql = yield* connect(url)
    expect(yield* sql`SELECT to_regclass('migrations') IS NULL AS absent`).toEqual([{ absent: true }])
  }), 60_000)

it.effect("a bad setting exits non-zero with a message naming it", () =>
  Effect.gen(function*() {
    // The settings are read before any connection: nothing listens on this URL.
    const env = { DATABASE_URL: "postgres://postgres:postgres@127.0.0.1:1/none", DATABASE_POOL_SIZE: "zero" }
    const outcome = yield* migrate(["status"], env)
    expect(outcome.code).not.toBe(0)
    expect(outcome.code).not.toBeNull()
    expect(outcome.output).toContain("DATABASE_POOL_SIZE")
    expect(outcome.stdout).not.toMatch(/^version\s+name/m)
  }), 60_000)

it.scoped("on the embedded database too, verify exits non-zero on drift, and the database is stopped after", () =>
  Effect.gen(function*() {
    const dataDir = path.join(yield* tempDir("migrate-embedded"), "data")
    const env = { TEST_DATABASE_URL: "", DATABASE_URL: "", EMBEDDED_PG_DIR: dataDir }
    const up = yield* migrate(["up"], env)
    expect(up.code, up.output).toBe(0)
    expect(up.stdout).toContain("applied 0001_initial_schema.sql")
    expect(postgresProcessesFor(dataDir)).toEqual([])

    const scope = yield* Scope.make()
    const running = yield* startEmbeddedPostgres(dataDir).pipe(
      Scope.extend(scope),
      Effect.provide(Logger.remove(Logger.defaultLogger))
    )
    yield* query(Redacted.value(running.url), "UPDATE migrations SET checksum = 'edited' WHERE version = 1")
    yield* Scope.close(scope, Exit.void)

    const verify = yield* migrate(["verify"], env)
    expect(verify.code, verify.output).toBe(1)
    expect(verify.output).toContain("0001_initial_schema.sql: changed after it was applied")
    expect(postgresProcessesFor(dataDir)).toEqual([])
  }), 150_000)
