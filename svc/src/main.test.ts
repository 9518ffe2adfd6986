import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import path from "node:path"
import { accepts, freePort, waitFor200 } from "../test/Net.js"
import { serviceRoot } from "./Settings.js"
import { freshDatabase } from "./TestDatabase.js"

const mainJs = path.join(serviceRoot, "dist", "main.js")

// `make test` / `npm test` build first; build here only when running this file on a clean checkout.
if (!existsSync(mainJs)) execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: serviceRoot, stdio: "ignore" })

interface Service {
  readonly child: ChildProcess
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  readonly output: () => string
  readonly stdout: () => string
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** `node dist/main.js` with only the given settings (plus PATH/HOME), killed at the end of the test if still running. */
const startService = (env: Record<string, string>) =>
  Effect.acquireRelease(
    Effect.sync((): Service => {
      const child = spawn(process.execPath, [mainJs], {
        cwd: serviceRoot,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root", ...env },
        stdio: ["ignore", "pipe", "pipe"]
      })
      let output = ""
      let stdout = ""
      child.stdout!.on("data", (chunk: Buffer) => {
        output += chunk.toString("utf8")
        stdout += chunk.toString("utf8")
      })
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once("exit", (code, signal) => resolve({ code, signal }))
      )
      return { child, output: () => output, stdout: () => stdout, exited }
    }),
    (service) =>
      Effect.promise(async () => {
        if (service.child.exitCode === null && service.child.signalCode === null) {
          service.child.kill("SIGKILL")
          await service.exited
        }
      })
  )

/** Waits for the process to exit, failing after `ms`. */
const exitWithin = (service: Service, ms: number) =>
  Effect.tryPromise(() =>
    Promise.race([
      service.exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`did not exit within ${ms} ms; output:\n${service.output()}`)), ms)
      )
    ])
  )

const waitReady = (service: Service, port: number) =>
  waitFor200(`http://127.0.0.1:${port}/health/ready`, 30_000).pipe(
    Effect.mapError((error) => new Error(`${error}\noutput:\n${service.output()}`))
  )

const createApplication = (port: number, name: string) =>
  Effect.promise(async () => {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/applications`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name })
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  })

const postgresProcessesFor = (dataDir: string) =>
  readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).filter((pid) => {
    try {
      const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0]
      return state !== "Z" && readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(dataDir)
    } catch {
      return false
    }
  })

const tempDir = Effect.acquireRelease(
  Effect.promise(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "config-service-main-"))
    await chmod(dir, 0o755)
    return dir
  }),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
)

describe("node dist/main.js", () => {
  it.scopedLive("serves, then on SIGTERM stops accepting and exits 0", () =>
    Effect.gen(function*() {
      const url = yield* freshDatabase
      const port = yield* freePort
      const unused = path.join(yield* tempDir, "never")
      const service = yield* startService({
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: Redacted.value(url),
        LOG_FORMAT: "json",
        EMBEDDED_PG_DIR: unused
      })
      yield* waitReady(service, port)
      const created = yield* createApplication(port, "main-test")
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      expect(created.body).toMatchObject({ name: "main-test", version: 1 })

      const started = Date.now()
      service.child.kill("SIGTERM")
      const exit = yield* exitWithin(service, 10_000)
      expect(exit, service.output()).toEqual({ code: 0, signal: null })
      expect(Date.now() - started).toBeLessThan(10_000)
      expect(yield* accepts(port)).toBe(false)
      expect(existsSync(unused)).toBe(false)
    }), 60_000)

  it.scopedLive("with LOG_FORMAT=json every line it writes is a JSON object", () =>
    Effect.gen(function*() {
      const url = yield* freshDatabase
      const port = yield* freePort
      const service = yield* startService({
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: Redacted.value(url),
        LOG_FORMAT: "json"
      })
      yield* waitReady(service, port)
      service.child.kill("SIGTERM")
      yield* exitWithin(service, 10_000)
      const lines = service.stdout().split("\n").filter((line) => line.trim() !== "")
      expect(lines.length).toBeGreaterThan(0)
      for (const line of lines) {
        expect(() => JSON.parse(line), line).not.toThrow()
        expect(typeof JSON.parse(line), line).toBe("object")
      }
    }), 60_000)

  it.scopedLive("without DATABASE_URL starts an embedded PostgreSQL and stops it on SIGTERM", () =>
    Effect.gen(function*() {
      const dataDir = path.join(yield* tempDir, "postgres")
      const port = yield* freePort
      const service = yield* startService({
        PORT: String(port),
        HOST: "127.0.0.1",
        EMBEDDED_PG_DIR: dataDir,
        LOG_LEVEL: "warn"
      })
      yield* Effect.addFinalizer(() =>
        Effect.sync(() => {
          for (const pid of postgresProcessesFor(dataDir)) process.kill(Number(pid), "SIGKILL")
        })
      )
      yield* waitReady(service, port)
      expect(existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true)
      expect(postgresProcessesFor(dataDir)).toHaveLength(1)
      const created = yield* createApplication(port, "embedded")
      expect(created.status, JSON.stringify(created.body)).toBe(201)

      service.child.kill("SIGTERM")
      const exit = yield* exitWithin(service, 10_000)
      expect(exit, service.output()).toEqual({ code: 0, signal: null })
      expect(postgresProcessesFor(dataDir)).toEqual([])
      expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false)
    }), 60_000)

  it.scopedLive("a bad PORT stops it with a non-zero exit and a message naming PORT, without a stack trace", () =>
    Effect.gen(function*() {
      const unused = path.join(yield* tempDir, "never")
      const service = yield* startService({ PORT: "abc", HOST: "127.0.0.1", EMBEDDED_PG_DIR: unused })
      const exit = yield* exitWithin(service, 10_000)
      expect(exit.code).not.toBe(0)
      expect(exit.code).not.toBeNull()
      const output = service.output()
      expect(output).toContain("PORT")
      expect(output).toContain("abc")
      expect(output).not.toMatch(/^ {4}at /m)
      expect(existsSync(unused)).toBe(false)
    }), 30_000)
})
