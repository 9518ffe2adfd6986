// A throwaway PostgreSQL 16 for the benchmark, started as the service starts its embedded one
// (dist/Database/EmbeddedPostgres.js): a fresh data directory and a free port, one database,
// and a stop() that removes it all.
import { Effect, Exit, Logger, Redacted, Scope } from "effect"
import { existsSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import pg from "pg"
import { startEmbeddedPostgres } from "../dist/Postgres/EmbeddedPostgres.js"

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves true when `exited` settles within `ms`, false otherwise (without keeping the process alive). */
export const within = (ms, exited) => {
  let timer
  const timeout = new Promise((resolve) => (timer = setTimeout(resolve, ms, false)))
  return Promise.race([exited.then(() => true), timeout]).finally(() => clearTimeout(timer))
}

export const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

/**
 * A PostgreSQL 16 server on `dir` with `database` in it: `start()` empties `dir` and starts it,
 * `stop()` (safe at any time, also halfway through `start()`) stops it and removes `dir`.
 */
export async function postgres(dir, database) {
  const port = await freePort()
  const scope = Effect.runSync(Scope.make())
  const quiet = Effect.provide(Logger.remove(Logger.defaultLogger))

  const stop = async () => {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    rmSync(dir, { recursive: true, force: true })
  }

  const start = async () => {
    // A server left on `dir` by a killed run: startEmbeddedPostgres stops it; then the data goes.
    if (existsSync(`${dir}/postmaster.pid`)) await Effect.runPromise(Effect.scoped(startEmbeddedPostgres(dir, { port })).pipe(quiet))
    rmSync(dir, { recursive: true, force: true })
    const running = await Effect.runPromise(startEmbeddedPostgres(dir, { port }).pipe(Scope.extend(scope), quiet))
    const client = new pg.Client({ connectionString: Redacted.value(running.url) })
    await client.connect()
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`)
    await client.end()
  }

  return { port, url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`, start, stop }
}
