import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Logger, Redacted, Scope } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, lstatSync, readFileSync, realpathSync, writeFileSync } from "node:fs"
import { rm } from "node:fs/promises"
import path from "node:path"
import { freePort } from "../../test/Net.js"
import { isAlive, killLeftoverPostgres, postgresProcessesFor, postmasterOf, query, tempDir } from "../../test/Process.js"
import { serviceRoot } from "../Settings.js"
import { EmbeddedPostgresError, startEmbeddedPostgres } from "./EmbeddedPostgres.js"

/** Log lines written by the effect, kept instead of printed. */
const capturingLogs = () => {
  const lines: Array<string> = []
  const logger = Logger.replace(
    Logger.defaultLogger,
    Logger.make(({ message }) => lines.push(Array.isArray(message) ? message.join(" ") : String(message)))
  )
  return { lines, logger }
}

/**
 * A plain Node.js process that starts the embedded PostgreSQL on `dataDir` (as a service
 * would), commits a row, prints "ready" and then idles until it is killed.
 */
const childScript = `
import { Effect, Logger, Redacted, Scope } from "effect"
import pg from "pg"
import { startEmbeddedPostgres } from "./dist/Postgres/EmbeddedPostgres.js"
const scope = Effect.runSync(Scope.make())
const running = await Effect.runPromise(
  startEmbeddedPostgres(process.env.PG_DIR, { port: Number(process.env.PG_PORT) }).pipe(
    Scope.extend(scope),
    Effect.provide(Logger.remove(Logger.defaultLogger))
  )
)
const client = new pg.Client({ connectionString: Redacted.value(running.url) })
await client.connect()
await client.query("CREATE TABLE survivors (name text NOT NULL)")
await client.query("INSERT INTO survivors VALUES ('committed before kill -9')")
await client.end()
console.log("ready")
setInterval(() => {}, 1000)
`

const spawnChild = (dataDir: string, port: number) =>
  Effect.acquireRelease(
    Effect.async<ChildProcess, Error>((resume) => {
      const child = spawn(process.execPath, ["--input-type=module", "-e", childScript], {
        cwd: serviceRoot,
        env: { ...process.env, PG_DIR: dataDir, PG_PORT: String(port) },
        stdio: ["ignore", "pipe", "pipe"]
      })
      let output = ""
      const onData = (chunk: Buffer) => {
        output += chunk.toString("utf8")
        if (output.includes("ready")) resume(Effect.succeed(child))
      }
      child.stdout!.on("data", onData)
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
      child.once("exit", (code) => resume(Effect.fail(new Error(`child exited with ${code} before ready: ${output}`))))
    }).pipe(Effect.timeoutFail({ duration: "45 seconds", onTimeout: () => new Error("child never printed ready") })),
    (child) => Effect.sync(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"))
  )

const killHard = (child: ChildProcess) =>
  Effect.async<void>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
    child.once("exit", () => resume(Effect.void))
    child.kill("SIGKILL")
  })

describe("startEmbeddedPostgres", () => {
  it.scopedLive("starts, accepts connections, stops with its scope and keeps data for the next start", () =>
    Effect.gen(function*() {
      const base = yield* tempDir("embedded")
      const dataDir = path.join(base, "data")
      yield* Effect.addFinalizer(() => Effect.asVoid(killLeftoverPostgres(dataDir)))
      const { lines, logger } = capturingLogs()

      const first = yield* Scope.make()
      const running = yield* startEmbeddedPostgres(dataDir).pipe(Scope.extend(first), Effect.provide(logger))
      expect(running.dataDir).toBe(dataDir)
      expect(Redacted.value(running.url)).toBe(`postgres://postgres:postgres@127.0.0.1:${running.port}/postgres`)
      expect(existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true)
      expect(readFileSync(path.join(dataDir, "PG_VERSION"), "utf8").trim()).toBe("16")
      expect(lines.some((line) => line.includes("initialising a new PostgreSQL 16 data directory"))).toBe(true)
      const [version] = yield* query<{ server_version_num: string }>(Redacted.value(running.url), "SHOW server_version_num")
      expect(version!.server_version_num).toMatch(/^16/)
      yield* query(Redacted.value(running.url), "CREATE TABLE kept (name text NOT NULL)")
      yield* query(Redacted.value(running.url), "INSERT INTO kept VALUES ('first run')")
      expect(postgresProcessesFor(dataDir)).toHaveLength(1)

      yield* Scope.close(first, Exit.void)
      expect(postgresProcessesFor(dataDir)).toEqual([])
      expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false)
      const refused = yield* Effect.either(query(Redacted.value(running.url), "SELECT 1"))
      expect(refused._tag).toBe("Left")

      const second = yield* Scope.make()
      lines.length = 0
      const again = yield* startEmbeddedPostgres(dataDir).pipe(Scope.extend(second), Effect.provide(logger))
      expect(lines.some((line) => line.includes("initialising"))).toBe(false)
      const rows = yield* query<{ name: string }>(Redacted.value(again.url), "SELECT name FROM kept")
      expect(rows).toEqual([{ name: "first run" }])
      yield* Scope.close(second, Exit.void)
      expect(postgresProcessesFor(dataDir)).toEqual([])
    }), 60_000)

  it.scopedLive("refuses a directory in use by a live service, and recovers one left by a killed service", () =>
    Effect.gen(function*() {
      const base = yield* tempDir("embedded")
      const dataDir = path.join(base, "data")
      yield* Effect.addFinalizer(() => Effect.asVoid(killLeftoverPostgres(dataDir)))
      const child = yield* spawnChild(dataDir, yield* freePort)
      const orphan = postmasterOf(dataDir)!.pid
      expect(isAlive(orphan)).toBe(true)

      // The child is alive: its database is in use and must be left alone.
      const inUse = yield* Effect.flip(Effect.scoped(startEmbeddedPostgres(dataDir)))
      expect(inUse).toBeInstanceOf(EmbeddedPostgresError)
      expect(inUse.message).toContain("in use by another process")
      expect(inUse.message).toContain(`pid ${child.pid}`)
      expect(isAlive(orphan)).toBe(true)

      // kill -9: the child's exit hooks never run, its PostgreSQL keeps running as an orphan.
      yield* killHard(child)
      yield* Effect.sleep("200 millis")
      expect(isAlive(orphan)).toBe(true)
      expect(postgresProcessesFor(dataDir)).toEqual([orphan])

      const { lines, logger } = capturingLogs()
      const scope = yield* Scope.make()
      const running = yield* startEmbeddedPostgres(dataDir).pipe(Scope.extend(scope), Effect.provide(logger))
      expect(isAlive(orphan)).toBe(false)
      expect(lines.some((line) => line.includes(`stopping the PostgreSQL server (pid ${orphan})`))).toBe(true)
      expect(postmasterOf(dataDir)!.pid).not.toBe(orphan)
      const rows = yield* query<{ name: string }>(Redacted.value(running.url), "SELECT name FROM survivors")
      expect(rows).toEqual([{ name: "committed before kill -9" }])

      yield* Scope.close(scope, Exit.void)
      expect(postgresProcessesFor(dataDir)).toEqual([])
      expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false)
    }), 60_000)

  it.scopedLive("a data folder PostgreSQL's user cannot reach (root in a home of mode 700) is kept where it can, linked, across restarts", () =>
    Effect.gen(function*() {
      const base = yield* tempDir("embedded", { reachable: false })
      const dataDir = path.join(base, "data")
      const silent = Logger.remove(Logger.defaultLogger)
      const first = yield* Scope.make()
      const running = yield* startEmbeddedPostgres(dataDir).pipe(Scope.extend(first), Effect.provide(silent))
      const stored = realpathSync(dataDir)
      yield* Effect.addFinalizer(() =>
        Effect.zipRight(killLeftoverPostgres(stored), Effect.promise(() => rm(stored, { recursive: true, force: true })))
      )
      if (process.getuid?.() === 0) {
        expect(lstatSync(dataDir).isSymbolicLink()).toBe(true)
        expect(stored.startsWith("/var/lib/config-service/data/")).toBe(true)
      } else {
        expect(stored).toBe(dataDir)
      }
      yield* query(Redacted.value(running.url), "CREATE TABLE kept (name text NOT NULL)")
      yield* query(Redacted.value(running.url), "INSERT INTO kept VALUES ('first run')")
      yield* Scope.close(first, Exit.void)

      const second = yield* Scope.make()
      const again = yield* startEmbeddedPostgres(dataDir).pipe(Scope.extend(second), Effect.provide(silent))
      expect(realpathSync(dataDir)).toBe(stored)
      expect(yield* query<{ name: string }>(Redacted.value(again.url), "SELECT name FROM kept")).toEqual([
        { name: "first run" }
      ])
      yield* Scope.close(second, Exit.void)
      expect(postgresProcessesFor(stored)).toEqual([])
    }), 60_000)

  it.scopedLive("a data folder that cannot be made fails with one line naming it", () =>
    Effect.gen(function*() {
      const base = yield* tempDir("embedded")
      writeFileSync(path.join(base, "file"), "not a folder")
      const dataDir = path.join(base, "file", "data")
      const error = yield* Effect.flip(
        Effect.scoped(startEmbeddedPostgres(dataDir)).pipe(Effect.provide(Logger.remove(Logger.defaultLogger)))
      )
      expect(error).toBeInstanceOf(EmbeddedPostgresError)
      expect(error.message).toContain(dataDir)
      expect(error.message).not.toMatch(/\n\s+at /)
    }), 60_000)
})
