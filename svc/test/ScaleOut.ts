import { Effect, Redacted } from "effect"
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { chmod, writeFile } from "node:fs/promises"
import path from "node:path"
import { serviceRoot } from "../src/Settings.js"
import { freshDatabase } from "../src/Testing/TestDatabase.js"
import { accepts, freePort } from "./Net.js"
import { type Service, startService, tempDir, waitReady } from "./Process.js"

const which = (program: string) => {
  for (const dir of ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"]) {
    try {
      execFileSync("test", ["-x", path.join(dir, program)])
      return path.join(dir, program)
    } catch {
      continue
    }
  }
  return undefined
}

export const pgbouncer = which("pgbouncer")
export const haproxy = which("haproxy")
export const missing = [["pgbouncer", pgbouncer], ["haproxy", haproxy]].filter(([, found]) => !found).map(([name]) => name!)

/** A file of `deploy/` with `key = value` lines replaced (addresses and paths; nothing else differs). */
const deployed = (file: string, settings: Record<string, string>) =>
  readFileSync(path.join(serviceRoot, "deploy", file), "utf8")
    .split("\n")
    .map((line) => {
      const key = /^\s*([\w.]+)\s*=/.exec(line)?.[1]
      return key !== undefined && key in settings ? `${key} = ${settings[key]}` : line
    })
    .join("\n")

/** A long-running program, its output kept for failure messages, killed when the scope closes. */
const run = (file: string, args: ReadonlyArray<string>, port: number) =>
  Effect.acquireRelease(
    Effect.gen(function*() {
      const child: ChildProcess = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"] })
      let output = ""
      child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
      for (let attempt = 0; attempt < 100 && !(yield* accepts(port)); attempt++) {
        if (child.exitCode !== null) break
        yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 100)))
      }
      if (!(yield* accepts(port))) throw new Error(`${file} did not listen on ${port}:\n${output}`)
      return { child, output: () => output }
    }),
    ({ child }) =>
      Effect.promise(async () => {
        if (child.exitCode !== null || child.signalCode !== null) return
        const exited = new Promise((resolve) => child.once("exit", resolve))
        child.kill("SIGTERM")
        await exited
      })
  )

/**
 * PgBouncer with `deploy/pgbouncer.ini` (transaction pooling, otherwise defaults) in front of
 * the PostgreSQL server at `serverUrl`; `urlFor(database)` is the URL of that database through it.
 */
export const startPgBouncer = (serverUrl: string) =>
  Effect.gen(function*() {
    const server = new URL(serverUrl)
    const dir = yield* tempDir("pgbouncer")
    const port = yield* freePort
    const user = decodeURIComponent(server.username)
    const password = decodeURIComponent(server.password)
    yield* Effect.promise(async () => {
      await writeFile(path.join(dir, "userlist.txt"), `"${user}" "${password}"\n`)
      await writeFile(
        path.join(dir, "pgbouncer.ini"),
        deployed("pgbouncer.ini", {
          config: `host=${server.hostname} port=${server.port}`,
          listen_port: String(port),
          auth_file: path.join(dir, "userlist.txt")
        }).replace(/^config = /m, "* = ")
      )
      await chmod(path.join(dir, "userlist.txt"), 0o644)
    })
    // PgBouncer will not run as root; it drops to the user PostgreSQL runs as.
    const asUser = process.getuid?.() === 0 ? ["-u", "postgres"] : []
    const process_ = yield* run(pgbouncer!, [...asUser, path.join(dir, "pgbouncer.ini")], port)
    return {
      port,
      output: process_.output,
      urlFor: (database: string) => `postgres://${server.username}:${server.password}@127.0.0.1:${port}/${database}`
    }
  })

/** HAProxy with `deploy/haproxy.cfg` (round robin, health checks) in front of the instances on `ports`. */
export const startHaproxy = (ports: ReadonlyArray<number>) =>
  Effect.gen(function*() {
    const dir = yield* tempDir("haproxy")
    const port = yield* freePort
    const names = ["one", "two", "three"]
    const config = readFileSync(path.join(serviceRoot, "deploy", "haproxy.cfg"), "utf8")
      .replace(/bind 127\.0\.0\.1:8080/, `bind 127.0.0.1:${port}`)
      .replace(/^\s*server .*$\n?/gm, "")
      .concat(ports.map((p, i) => `  server ${names[i] ?? `i${i}`} 127.0.0.1:${p} check\n`).join(""))
    yield* Effect.promise(() => writeFile(path.join(dir, "haproxy.cfg"), config))
    const process_ = yield* run(haproxy!, ["-db", "-f", path.join(dir, "haproxy.cfg")], port)
    return { port, base: `http://127.0.0.1:${port}`, output: process_.output }
  })

/**
 * PgBouncer (transaction pooling) in front of a fresh database, three instances started
 * together on it, and HAProxy in front of them. With `listenDirect` the instances' change
 * feeds listen on PostgreSQL itself (`DATABASE_LISTEN_URL`).
 */
export const startDeployment = (options: { readonly listenDirect: boolean; readonly logLevel?: string }) =>
  Effect.gen(function*() {
    const direct = Redacted.value(yield* freshDatabase)
    const bouncer = yield* startPgBouncer(process.env.TEST_DATABASE_URL!)
    const pooled = bouncer.urlFor(new URL(direct).pathname.slice(1))
    const listenUrl = options.listenDirect ? direct : ""
    const instances: Array<Service> = yield* Effect.all(
      [1, 2, 3].map(() => startService({ DATABASE_URL: pooled, DATABASE_LISTEN_URL: listenUrl, LOG_LEVEL: options.logLevel ?? "info" })),
      { concurrency: "unbounded" }
    )
    yield* Effect.all(instances.map((instance) => waitReady(instance)), { concurrency: "unbounded" })
    const balancer = yield* startHaproxy(instances.map((instance) => instance.port))
    return { direct, instances, balancer }
  })
