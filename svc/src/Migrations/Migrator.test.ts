import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import {
  connect,
  ledger,
  makeMigrator,
  migrationsFolder,
  removeFile,
  tableExists,
  writeFiles
} from "../../test/Migrations.js"
import { layerPgClient } from "../ChangeFeed/Database.js"
import { freshDatabase, layerTestDatabase } from "../Testing/TestDatabase.js"
import { checksum } from "./Files.js"
import { formatStatus, MigrationError, MigrationsDirectory, type MigrationStatus, Migrator } from "./Migrator.js"

const one = "CREATE TABLE t_one (id integer PRIMARY KEY);\nINSERT INTO t_one VALUES (1);\n"
const two = "CREATE TABLE t_two (id integer PRIMARY KEY REFERENCES t_one (id));\nINSERT INTO t_two VALUES (1);\nSELECT pg_sleep(0.05);\n"
const three = "CREATE TABLE t_three (id integer PRIMARY KEY);\n"

/** A fresh empty database, a migrations folder with `files`, a Migrator on both, and a raw SqlClient. */
const setup = (files: Record<string, string>) =>
  Effect.gen(function*() {
    const url = yield* freshDatabase
    const dir = yield* migrationsFolder(files)
    const migrator = yield* makeMigrator(url, dir)
    const sql = yield* connect(url)
    return { url, dir, migrator, sql }
  })

const states = (statuses: ReadonlyArray<MigrationStatus>) => statuses.map((s) => [s.version, s.name, s.state])

it.scoped("up applies pending files in version order, each with its ledger row", () =>
  Effect.gen(function*() {
    const { migrator, sql } = yield* setup({ "0002_two.sql": two, "0001_one.sql": one })
    const before = Date.now()
    const applied = yield* migrator.up
    expect(applied).toEqual(["0001_one.sql", "0002_two.sql"])
    expect(yield* tableExists(sql, "t_one")).toBe(true)
    expect(yield* tableExists(sql, "t_two")).toBe(true)
    expect(yield* sql`SELECT id FROM t_two`).toEqual([{ id: 1 }])

    const rows = yield* ledger(sql)
    expect(rows.map((row) => [row.version, row.name, row.checksum])).toEqual([
      [1, "one", checksum(one)],
      [2, "two", checksum(two)]
    ])
    for (const row of rows) {
      expect(Number.isInteger(row.duration_ms)).toBe(true)
      expect(row.duration_ms).toBeGreaterThanOrEqual(0)
      const at = new Date(row.applied_at).getTime()
      expect(at).toBeGreaterThanOrEqual(before - 5_000)
      expect(at).toBeLessThanOrEqual(Date.now() + 5_000)
    }
    // 0002 sleeps 50 ms: the duration is measured, not made up.
    expect(rows[1]!.duration_ms).toBeGreaterThanOrEqual(40)
  }))

it.scoped("up is idempotent: a second up, in the same or a new runner, applies nothing", () =>
  Effect.gen(function*() {
    const { dir, migrator, sql, url } = yield* setup({ "0001_one.sql": one, "0002_two.sql": two })
    expect(yield* migrator.up).toHaveLength(2)
    const first = yield* ledger(sql)
    expect(yield* migrator.up).toEqual([])
    const again = yield* makeMigrator(url, dir)
    expect(yield* again.up).toEqual([])
    expect(yield* ledger(sql)).toEqual(first)
    expect(yield* sql`SELECT count(*)::int AS n FROM t_one`).toEqual([{ n: 1 }])
  }))

it.scoped("up applies only the files added since the last run", () =>
  Effect.gen(function*() {
    const { dir, migrator, sql, url } = yield* setup({ "0001_one.sql": one })
    expect(yield* migrator.up).toEqual(["0001_one.sql"])
    yield* writeFiles(dir, { "0002_two.sql": two, "0003_three.sql": three })
    const later = yield* makeMigrator(url, dir)
    expect(yield* later.up).toEqual(["0002_two.sql", "0003_three.sql"])
    expect((yield* ledger(sql)).map((row) => row.version)).toEqual([1, 2, 3])
  }))

it.scoped("each file runs in its own transaction: a failing file leaves earlier ones applied and no trace of itself", () =>
  Effect.gen(function*() {
    const broken = "CREATE TABLE t_partial (id integer);\nINSERT INTO no_such_table VALUES (1);\n"
    const { dir, migrator, sql, url } = yield* setup({
      "0001_one.sql": one,
      "0002_broken.sql": broken,
      "0003_three.sql": three
    })
    const error = yield* Effect.flip(migrator.up)
    expect(error).toBeInstanceOf(MigrationError)
    expect(error.message).toContain("0002_broken.sql")
    expect(error.message).toContain("no_such_table")

    expect(yield* tableExists(sql, "t_one")).toBe(true)
    expect(yield* tableExists(sql, "t_partial")).toBe(false)
    expect(yield* tableExists(sql, "t_three")).toBe(false)
    expect((yield* ledger(sql)).map((row) => row.version)).toEqual([1])
    expect(states(yield* migrator.status)).toEqual([
      [1, "one", "applied"],
      [2, "broken", "pending"],
      [3, "three", "pending"]
    ])

    // Fixing the (never applied) file lets the next run continue where it stopped.
    yield* writeFiles(dir, { "0002_broken.sql": "CREATE TABLE t_partial (id integer);\n" })
    const fixed = yield* makeMigrator(url, dir)
    expect(yield* fixed.up).toEqual(["0002_broken.sql", "0003_three.sql"])
    expect(yield* fixed.isCurrent).toBe(true)
  }))

it.scoped("drift: an applied file that changed is reported by verify and status, and up refuses", () =>
  Effect.gen(function*() {
    const { dir, migrator, sql, url } = yield* setup({ "0001_one.sql": one, "0002_two.sql": two })
    yield* migrator.up
    expect(yield* migrator.verify).toEqual([])

    yield* writeFiles(dir, {
      "0001_one.sql": one + "ALTER TABLE t_one ADD COLUMN extra text;\n",
      "0003_three.sql": three
    })
    const edited = yield* makeMigrator(url, dir)
    const problems = yield* edited.verify
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain("0001_one.sql")
    expect(problems[0]).toContain("changed")
    expect(states(yield* edited.status)).toEqual([
      [1, "one", "drifted"],
      [2, "two", "applied"],
      [3, "three", "pending"]
    ])
    expect(yield* edited.isCurrent).toBe(false)

    const error = yield* Effect.flip(edited.up)
    expect(error).toBeInstanceOf(MigrationError)
    expect(error.message).toContain("0001_one.sql")
    // Refusing means applying nothing, not even the unrelated pending file.
    expect(yield* tableExists(sql, "t_three")).toBe(false)
    expect((yield* ledger(sql)).map((row) => [row.version, row.checksum])).toEqual([
      [1, checksum(one)],
      [2, checksum(two)]
    ])
  }))

it.scoped("missing: an applied migration whose file is gone is reported by verify and status, and up refuses", () =>
  Effect.gen(function*() {
    const { dir, migrator, sql, url } = yield* setup({ "0001_one.sql": one, "0002_two.sql": two })
    yield* migrator.up
    yield* removeFile(dir, "0002_two.sql")
    yield* writeFiles(dir, { "0003_three.sql": three })

    const gone = yield* makeMigrator(url, dir)
    const problems = yield* gone.verify
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain("0002_two.sql")
    expect(problems[0]).toContain("gone")
    const status = yield* gone.status
    expect(states(status)).toEqual([
      [1, "one", "applied"],
      [2, "two", "missing"],
      [3, "three", "pending"]
    ])
    expect(status[1]!.appliedAt).not.toBeNull()
    expect(yield* gone.isCurrent).toBe(false)

    const error = yield* Effect.flip(gone.up)
    expect(error).toBeInstanceOf(MigrationError)
    expect(error.message).toContain("0002_two.sql")
    expect(yield* tableExists(sql, "t_three")).toBe(false)
  }))

it.scoped("out of order: a pending file numbered below an applied one is reported, and up refuses", () =>
  Effect.gen(function*() {
    const { dir, migrator, sql, url } = yield* setup({ "0002_three.sql": three })
    expect(yield* migrator.up).toEqual(["0002_three.sql"])

    yield* writeFiles(dir, { "0001_one.sql": one })
    const late = yield* makeMigrator(url, dir)
    const problems = yield* late.verify
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain("0001_one.sql")
    expect(problems[0]).toContain("below an applied migration")
    expect(states(yield* late.status)).toEqual([
      [1, "one", "out-of-order"],
      [2, "three", "applied"]
    ])

    const error = yield* Effect.flip(late.up)
    expect(error).toBeInstanceOf(MigrationError)
    expect(error.message).toContain("0001_one.sql")
    expect(yield* tableExists(sql, "t_one")).toBe(false)
    expect((yield* ledger(sql)).map((row) => row.version)).toEqual([2])
  }))

it.scoped("status: pending before any run (no ledger yet), then applied with time and duration", () =>
  Effect.gen(function*() {
    const { migrator, sql } = yield* setup({ "0001_one.sql": one, "0002_two.sql": two })
    const before = yield* migrator.status
    expect(before).toEqual([
      { version: 1, name: "one", state: "pending", appliedAt: null, durationMs: null },
      { version: 2, name: "two", state: "pending", appliedAt: null, durationMs: null }
    ])
    // Reading the status creates nothing.
    expect(yield* tableExists(sql, "migrations")).toBe(false)

    yield* migrator.up
    const after = yield* migrator.status
    const rows = yield* ledger(sql)
    expect(states(after)).toEqual([[1, "one", "applied"], [2, "two", "applied"]])
    after.forEach((status, i) => {
      expect(status.durationMs).toBe(rows[i]!.duration_ms)
      expect(new Date(status.appliedAt!).getTime()).toBe(new Date(rows[i]!.applied_at).getTime())
    })
  }))

it.scoped("status shows every state at once, ordered by version", () =>
  Effect.gen(function*() {
    const { dir, migrator, url } = yield* setup({
      "0002_two.sql": "CREATE TABLE s_two (id int);",
      "0003_three.sql": "CREATE TABLE s_three (id int);",
      "0004_four.sql": "CREATE TABLE s_four (id int);"
    })
    yield* migrator.up
    yield* writeFiles(dir, {
      "0001_one.sql": "CREATE TABLE s_one (id int);",
      "0002_two.sql": "CREATE TABLE s_two (id bigint);",
      "0005_five.sql": "CREATE TABLE s_five (id int);"
    })
    yield* removeFile(dir, "0004_four.sql")
    const later = yield* makeMigrator(url, dir)
    expect(states(yield* later.status)).toEqual([
      [1, "one", "out-of-order"],
      [2, "two", "drifted"],
      [3, "three", "applied"],
      [4, "four", "missing"],
      [5, "five", "pending"]
    ])
    const problems = yield* later.verify
    expect(problems).toHaveLength(3)
    expect(problems.join("\n")).toMatch(/0001_one\.sql[\s\S]*0002_two\.sql[\s\S]*0004_four\.sql/)
  }))

it.scoped("isCurrent: false while anything is pending, true once all is applied", () =>
  Effect.gen(function*() {
    const { dir, migrator, url } = yield* setup({ "0001_one.sql": one })
    expect(yield* migrator.isCurrent).toBe(false)
    yield* migrator.up
    expect(yield* migrator.isCurrent).toBe(true)
    yield* writeFiles(dir, { "0002_two.sql": two })
    const next = yield* makeMigrator(url, dir)
    expect(yield* next.isCurrent).toBe(false)
    yield* next.up
    expect(yield* next.isCurrent).toBe(true)
  }))

it.effect("formatStatus prints a header, a rule, and one aligned row per migration", () =>
  Effect.gen(function*() {
    const text = formatStatus([
      { version: 1, name: "initial_schema", state: "applied", appliedAt: "2024-05-01T10:00:00.123+00:00", durationMs: 12 },
      { version: 2, name: "more", state: "drifted", appliedAt: "2024-05-02T10:00:00+00:00", durationMs: 1234 },
      { version: 12, name: "later", state: "pending", appliedAt: null, durationMs: null }
    ])
    const lines = text.split("\n")
    expect(lines).toHaveLength(5)
    expect(lines[0]).toMatch(/^version\s+name\s+state\s+applied at\s+duration$/)
    expect(lines[1]).toMatch(/^-+( +-+){4}$/)
    expect(lines[2]).toMatch(/^0001\s+initial_schema\s+applied\s+2024-05-01T10:00:00\.123\+00:00\s+12 ms$/)
    expect(lines[3]).toMatch(/^0002\s+more\s+drifted\s+2024-05-02T10:00:00\+00:00\s+1234 ms$/)
    expect(lines[4]).toMatch(/^0012\s+later\s+pending$/)
    // Columns line up: every cell starts where its header does.
    const column = (header: string) => lines[0]!.indexOf(header)
    expect(lines[2]!.indexOf("initial_schema")).toBe(column("name"))
    expect(lines[4]!.indexOf("pending")).toBe(column("state"))
    expect(lines[3]!.indexOf("1234 ms")).toBe(column("duration"))
    // No statuses: just the header and the rule.
    expect(formatStatus([]).split("\n")).toHaveLength(2)
  }))

it.scoped("formatStatus of a real status has a row per migration", () =>
  Effect.gen(function*() {
    const { migrator } = yield* setup({ "0001_one.sql": one, "0002_two.sql": two, "0003_three.sql": three })
    yield* migrator.up
    const lines = formatStatus(yield* migrator.status).split("\n")
    expect(lines).toHaveLength(5)
    expect(lines[2]).toMatch(/^0001\s+one\s+applied\s+\S+\s+\d+ ms$/)
    expect(lines[3]).toMatch(/^0002\s+two\s+applied\s+\S+\s+\d+ ms$/)
    expect(lines[4]).toMatch(/^0003\s+three\s+applied\s+\S+\s+\d+ ms$/)
  }))

it.scoped("concurrent runners on one database serialise: each migration is applied exactly once", () =>
  Effect.gen(function*() {
    const url = yield* freshDatabase
    const dir = yield* migrationsFolder({
      // Plain CREATE TABLE (no IF NOT EXISTS): applying a file twice would fail.
      "0001_slow.sql": "CREATE TABLE c_one (id integer);\nSELECT pg_sleep(0.2);\n",
      "0002_second.sql": "CREATE TABLE c_two (id integer);\nSELECT pg_sleep(0.05);\n",
      "0003_third.sql": "CREATE TABLE c_three (id integer);\n"
    })
    const runners = yield* Effect.all([makeMigrator(url, dir), makeMigrator(url, dir), makeMigrator(url, dir)])
    const results = yield* Effect.all(runners.map((runner) => runner.up), { concurrency: "unbounded" })
    expect(results.flat().sort()).toEqual(["0001_slow.sql", "0002_second.sql", "0003_third.sql"])

    const sql = yield* connect(url)
    expect((yield* ledger(sql)).map((row) => row.version)).toEqual([1, 2, 3])
    for (const table of ["c_one", "c_two", "c_three"]) expect(yield* tableExists(sql, table)).toBe(true)
    for (const runner of runners) expect(yield* runner.isCurrent).toBe(true)
  }))

it.scoped("concurrent runners over several rounds never apply a file twice", () =>
  Effect.gen(function*() {
    for (let round = 0; round < 3; round++) {
      const url = yield* freshDatabase
      const files: Record<string, string> = {}
      for (let i = 1; i <= 5; i++) files[`000${i}_m${i}.sql`] = `CREATE TABLE r_${i} (id integer);`
      const dir = yield* migrationsFolder(files)
      const runners = yield* Effect.all(Array.from({ length: 4 }, () => makeMigrator(url, dir)))
      const results = yield* Effect.all(runners.map((runner) => runner.up), { concurrency: "unbounded" })
      expect(results.flat().sort()).toEqual(Object.keys(files).sort())
      const sql = yield* connect(url)
      expect((yield* ledger(sql)).map((row) => row.version)).toEqual([1, 2, 3, 4, 5])
    }
  }))

it.scoped("a runner waits for the lock as long as another runner's migration takes, beyond the statement timeout", () =>
  Effect.gen(function*() {
    // Every statement of this file is well within the 1 s statement timeout, but the file takes ~1.4 s:
    // a second runner started at the same time waits that long for the advisory lock.
    const url = yield* freshDatabase
    const dir = yield* migrationsFolder({
      "0001_long.sql": "SELECT pg_sleep(0.7);\nSELECT pg_sleep(0.7);\nCREATE TABLE long_one (id integer);\n"
    })
    const runner = Effect.map(
      Layer.build(
        Migrator.Default.pipe(
          Layer.provide(layerPgClient({ url, poolSize: 3, connectTimeout: "5 seconds", statementTimeout: "1 second" })),
          Layer.provide(Layer.succeed(MigrationsDirectory, dir))
        )
      ),
      Context.get(Migrator)
    )
    const runners = yield* Effect.all([runner, runner])
    const results = yield* Effect.all(runners.map((r) => Effect.either(r.up)), { concurrency: "unbounded" })
    const failures = results.flatMap((result) => result._tag === "Left" ? [`${result.left.message}: ${String(result.left.cause)}`] : [])
    expect(failures, "a waiting runner failed instead of waiting for the lock").toEqual([])
    expect(results.flatMap((result) => result._tag === "Right" ? result.right : [])).toEqual(["0001_long.sql"])
    const sql = yield* connect(url)
    expect((yield* ledger(sql)).map((row) => row.version)).toEqual([1])
  }))

it.layer(layerTestDatabase)("the service's own migrations (default MigrationsDirectory)", (it) => {
  it.effect("are the six files, all applied and sound", () =>
    Effect.gen(function*() {
      const migrator = yield* Migrator
      expect(migrator.files.map((file) => file.file)).toEqual([
        "0001_initial_schema.sql",
        "0002_timestamps_and_versions.sql",
        "0003_change_notifications.sql",
        "0004_configuration_history.sql",
        "0005_application_schemas.sql",
        "0006_change_log.sql"
      ])
      expect(yield* migrator.up).toEqual([])
      expect(yield* migrator.verify).toEqual([])
      expect(yield* migrator.isCurrent).toBe(true)
      const sql = yield* SqlClient.SqlClient
      expect((yield* ledger(sql)).map((row) => [row.version, row.name])).toEqual([
        [1, "initial_schema"],
        [2, "timestamps_and_versions"],
        [3, "change_notifications"],
        [4, "configuration_history"],
        [5, "application_schemas"],
        [6, "change_log"]
      ])
    }))

  it.effect("create exactly the spec's tables with the spec's columns", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const tables = yield* sql<{ table_name: string }>`
        SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`
      expect(tables.map((t) => t.table_name)).toEqual([
        "application_schemas",
        "applications",
        "change_log",
        "configuration_versions",
        "configurations",
        "migrations"
      ])

      const columns = yield* sql<{
        table_name: string
        column_name: string
        data_type: string
        character_maximum_length: number | null
        is_nullable: string
      }>`
        SELECT table_name, column_name, data_type, character_maximum_length, is_nullable
        FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name IN ('applications', 'configurations', 'configuration_versions')
        ORDER BY table_name, ordinal_position`
      const describe = (table: string) =>
        Object.fromEntries(
          columns.filter((c) => c.table_name === table).map((c) => [
            c.column_name,
            [c.data_type, c.character_maximum_length, c.is_nullable]
          ])
        )
      expect(describe("applications")).toEqual({
        id: ["text", null, "NO"],
        name: ["character varying", 256, "NO"],
        comments: ["character varying", 1024, "YES"],
        created_at: ["timestamp with time zone", null, "NO"],
        updated_at: ["timestamp with time zone", null, "NO"],
        version: ["integer", null, "NO"],
        revision: ["bigint", null, "NO"],
        pruned_revision: ["bigint", null, "NO"],
        schema_version: ["integer", null, "NO"]
      })
      expect(describe("configurations")).toEqual({
        id: ["text", null, "NO"],
        application_id: ["text", null, "NO"],
        name: ["character varying", 256, "NO"],
        comments: ["character varying", 1024, "YES"],
        config: ["jsonb", null, "NO"],
        created_at: ["timestamp with time zone", null, "NO"],
        updated_at: ["timestamp with time zone", null, "NO"],
        version: ["integer", null, "NO"]
      })
      expect(describe("configuration_versions")).toEqual({
        application_id: ["text", null, "NO"],
        configuration_id: ["text", null, "NO"],
        version: ["integer", null, "NO"],
        revision: ["bigint", null, "NO"],
        op: ["text", null, "NO"],
        name: ["character varying", 256, "NO"],
        comments: ["character varying", 1024, "YES"],
        config: ["jsonb", null, "NO"],
        actor: ["text", null, "YES"],
        created_at: ["timestamp with time zone", null, "NO"]
      })
    }))

  it.effect("the database rejects malformed ULIDs, duplicate names and non-object configs", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const code = (effect: Effect.Effect<unknown, unknown>) =>
        Effect.map(Effect.flip(effect), (error) => ((error as { cause?: { code?: string } }).cause)?.code)

      // CHECK violation (23514) for malformed ids, with raw SQL around the API.
      for (const bad of ["not-a-ulid", "01arz3ndektsv4rrffq69g5fav", "81ARZ3NDEKTSV4RRFFQ69G5FAV", "01ARZ3NDEKTSV4RRFFQ69G5FA"]) {
        expect(yield* code(sql`INSERT INTO applications (id, name) VALUES (${bad}, ${`bad-${bad}`})`)).toBe("23514")
      }
      yield* sql`INSERT INTO applications (id, name) VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FAV', 'ok')`
      const [row] = yield* sql<{ version: number }>`SELECT version FROM applications WHERE id = '01ARZ3NDEKTSV4RRFFQ69G5FAV'`
      expect(row!.version).toBe(1)
      // Unique name (23505).
      expect(yield* code(sql`INSERT INTO applications (id, name) VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FAW', 'ok')`)).toBe("23505")
      // Configurations: malformed id, unknown application (23503), non-object config, per-application unique name.
      expect(
        yield* code(sql`INSERT INTO configurations (id, application_id, name, config)
                        VALUES ('bad', '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'c', '{}')`)
      ).toBe("23514")
      expect(
        yield* code(sql`INSERT INTO configurations (id, application_id, name, config)
                        VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FB0', '01ARZ3NDEKTSV4RRFFQ69G5FZZ', 'c', '{}')`)
      ).toBe("23503")
      expect(
        yield* code(sql`INSERT INTO configurations (id, application_id, name, config)
                        VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FB0', '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'c', '[1]')`)
      ).toBe("23514")
      yield* sql`INSERT INTO configurations (id, application_id, name, config)
                 VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FB0', '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'c', '{"a": 1}')`
      expect(
        yield* code(sql`INSERT INTO configurations (id, application_id, name, config)
                        VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FB1', '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'c', '{}')`)
      ).toBe("23505")
    }))
})
