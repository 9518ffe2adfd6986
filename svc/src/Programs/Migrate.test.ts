import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { vi } from "vitest"
import { connect, ledger, makeMigrator, migrationsFolder, writeFiles } from "../../test/Migrations.js"
import { freshDatabase, layerEmptyDatabase } from "../Testing/TestDatabase.js"
import { runCommand } from "./Migrate.js"
import { MigrationError, Migrator } from "../Migrations/Migrator.js"

const one = "CREATE TABLE cli_one (id integer PRIMARY KEY);\n"
const two = "CREATE TABLE cli_two (id integer PRIMARY KEY);\n"

/** What `console.log` printed while the scope is open (and nothing reaches the real console). */
const captureConsole = Effect.acquireRelease(
  Effect.sync(() => {
    const lines: Array<string> = []
    const spy = vi.spyOn(console, "log").mockImplementation((...args: Array<unknown>) => {
      lines.push(args.map(String).join(" "))
    })
    return { lines, spy }
  }),
  ({ spy }) => Effect.sync(() => spy.mockRestore())
).pipe(Effect.map(({ lines }) => lines))

/** A fresh database and a migrations folder with `files`. */
const setup = (files: Record<string, string>) =>
  Effect.gen(function*() {
    const url = yield* freshDatabase
    const dir = yield* migrationsFolder(files)
    return { url, dir, sql: yield* connect(url) }
  })

/** Runs the command with a new Migrator (as the program would), returning what it printed. */
const run = (command: string | undefined, migrator: Migrator) =>
  Effect.gen(function*() {
    const lines = yield* captureConsole
    yield* runCommand(command).pipe(Effect.provideService(Migrator, migrator))
    return lines.join("\n")
  }).pipe(Effect.scoped)

it.scoped("up prints the files it applied, then that nothing is left to apply", () =>
  Effect.gen(function*() {
    const { dir, sql, url } = yield* setup({ "0001_one.sql": one, "0002_two.sql": two })
    const migrator = yield* makeMigrator(url, dir)
    expect(yield* run("up", migrator)).toBe("applied 0001_one.sql, 0002_two.sql")
    expect((yield* ledger(sql)).map((row) => row.name)).toEqual(["one", "two"])
    expect(yield* run("up", migrator)).toBe("up to date: nothing to apply")
    expect(yield* run("up", yield* makeMigrator(url, dir))).toBe("up to date: nothing to apply")
  }))

it.scoped("status prints the table: pending before up, applied after", () =>
  Effect.gen(function*() {
    const { dir, url } = yield* setup({ "0001_one.sql": one, "0002_two.sql": two })
    const migrator = yield* makeMigrator(url, dir)
    const before = (yield* run("status", migrator)).split("\n")
    expect(before).toHaveLength(4)
    expect(before[0]).toMatch(/^version\s+name\s+state\s+applied at\s+duration$/)
    expect(before[1]).toMatch(/^-+( +-+){4}$/)
    expect(before[2]).toMatch(/^0001\s+one\s+pending$/)
    expect(before[3]).toMatch(/^0002\s+two\s+pending$/)

    yield* migrator.up
    const after = (yield* run("status", migrator)).split("\n")
    expect(after).toHaveLength(4)
    expect(after[2]).toMatch(/^0001\s+one\s+applied\s+\d{4}-\d\d-\d\dT\S+\s+\d+ ms$/)
    expect(after[3]).toMatch(/^0002\s+two\s+applied\s+\d{4}-\d\d-\d\dT\S+\s+\d+ ms$/)
  }))

it.scoped("verify succeeds when the ledger matches the files (also before anything is applied)", () =>
  Effect.gen(function*() {
    const { dir, url } = yield* setup({ "0001_one.sql": one, "0002_two.sql": two })
    const migrator = yield* makeMigrator(url, dir)
    expect(yield* run("verify", migrator)).toBe("ok: 2 migration files match the ledger")
    yield* migrator.up
    expect(yield* run("verify", migrator)).toBe("ok: 2 migration files match the ledger")
  }))

it.scoped("verify fails with a MigrationError listing the problems when an applied file drifted", () =>
  Effect.gen(function*() {
    const { dir, url } = yield* setup({ "0001_one.sql": one, "0002_two.sql": two })
    yield* run("up", yield* makeMigrator(url, dir))
    yield* writeFiles(dir, { "0002_two.sql": two + "-- edited after it was applied\n" })

    const drifted = yield* makeMigrator(url, dir)
    const lines = yield* captureConsole
    const error = yield* Effect.flip(runCommand("verify").pipe(Effect.provideService(Migrator, drifted)))
    expect(error).toBeInstanceOf(MigrationError)
    expect(error.message).toMatch(/^verify failed:\n/)
    expect(error.message).toContain("0002_two.sql: changed after it was applied")
    expect(error.message).not.toContain("0001_one.sql")
    expect(lines.join("\n")).not.toContain("ok:")
  }))

it.scoped("an unknown or absent command fails with the usage message and touches nothing", () =>
  Effect.gen(function*() {
    const { dir, sql, url } = yield* setup({ "0001_one.sql": one })
    const migrator = yield* makeMigrator(url, dir)
    for (const command of ["bogus", "UP", "", undefined]) {
      const error = yield* Effect.flip(runCommand(command).pipe(Effect.provideService(Migrator, migrator)))
      expect(error).toBeInstanceOf(MigrationError)
      expect(error.message).toBe("usage: npm run migrate -- <up|status|verify>")
    }
    expect(yield* migrator.status).toMatchObject([{ version: 1, state: "pending" }])
    expect(yield* sql`SELECT to_regclass('migrations') IS NULL AS absent`).toEqual([{ absent: true }])
  }))

it.layer(Migrator.Default.pipe(Layer.provideMerge(layerEmptyDatabase)))("with the service's migrations", (it) => {
  it.scoped("status, up, up again and verify on a fresh database", () =>
    Effect.gen(function*() {
      const lines = yield* captureConsole
      yield* runCommand("status")
      expect(lines.join("\n")).toMatch(
        /0001\s+initial_schema\s+pending\n0002\s+timestamps_and_versions\s+pending\n0003\s+change_notifications\s+pending\n0004\s+configuration_history\s+pending\n0005\s+application_schemas\s+pending\n0006\s+change_log\s+pending$/
      )
      lines.length = 0
      yield* runCommand("up")
      expect(lines).toEqual([
        "applied 0001_initial_schema.sql, 0002_timestamps_and_versions.sql, 0003_change_notifications.sql, " +
        "0004_configuration_history.sql, 0005_application_schemas.sql, 0006_change_log.sql"
      ])
      lines.length = 0
      yield* runCommand("up")
      expect(lines).toEqual(["up to date: nothing to apply"])
      lines.length = 0
      yield* runCommand("verify")
      expect(lines).toEqual(["ok: 6 migration files match the ledger"])
      lines.length = 0
      yield* runCommand("status")
      expect(lines.join("\n")).toMatch(/0001\s+initial_schema\s+applied\s+\S+\s+\d+ ms\n0002\s+timestamps_and_versions\s+applied\s+\S+\s+\d+ ms\n0003\s+change_notifications\s+applied\s+\S+\s+\d+ ms\n0004\s+configuration_history\s+applied\s+\S+\s+\d+ ms\n0005\s+application_schemas\s+applied\s+\S+\s+\d+ ms\n0006\s+change_log\s+applied\s+\S+\s+\d+ ms$/)
    }))
})
