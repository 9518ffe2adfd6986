import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { existsSync } from "node:fs"
import path from "node:path"
import { accepts, freePort, holdPort } from "../test/Net.js"
import {
  ensureBuilt,
  exitWithin,
  postgresProcessesFor,
  startService,
  stopService,
  tempDir,
  waitReady
} from "../test/Process.js"
import { freshDatabase } from "./Testing/TestDatabase.js"

ensureBuilt()

const createApplication = (port: number, name: string) =>
  Effect.promise(async () => {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/applications`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name })
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  })

describe("node dist/main.js", () => {
  it.scopedLive("serves, then on SIGTERM stops accepting and exits 0", () =>
    Effect.gen(function*() {
      const url = yield* freshDatabase
      const unused = path.join(yield* tempDir("main"), "never")
      const service = yield* startService({
        DATABASE_URL: Redacted.value(url),
        LOG_FORMAT: "json",
        EMBEDDED_PG_DIR: unused
      })
      yield* waitReady(service)
      const created = yield* createApplication(service.port, "main-test")
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      expect(created.body).toMatchObject({ name: "main-test", version: 1 })

      const started = Date.now()
      const exit = yield* stopService(service, 10_000)
      expect(exit, service.output()).toEqual({ code: 0, signal: null })
      expect(Date.now() - started).toBeLessThan(10_000)
      expect(yield* accepts(service.port)).toBe(false)
      expect(existsSync(unused)).toBe(false)
    }), 60_000)

  it.scopedLive("with LOG_FORMAT=json every line it writes is a JSON object", () =>
    Effect.gen(function*() {
      const url = yield* freshDatabase
      const service = yield* startService({ DATABASE_URL: Redacted.value(url), LOG_FORMAT: "json" })
      yield* waitReady(service)
      yield* stopService(service, 10_000)
      const lines = service.stdout().split("\n").filter((line) => line.trim() !== "")
      expect(lines.length).toBeGreaterThan(0)
      for (const line of lines) {
        expect(() => JSON.parse(line), line).not.toThrow()
        expect(typeof JSON.parse(line), line).toBe("object")
      }
    }), 60_000)

  it.scopedLive("without DATABASE_URL starts an embedded PostgreSQL and stops it on SIGTERM", () =>
    Effect.gen(function*() {
      const dataDir = path.join(yield* tempDir("main"), "postgres")
      const service = yield* startService({ EMBEDDED_PG_DIR: dataDir, LOG_LEVEL: "warn" })
      yield* Effect.addFinalizer(() =>
        Effect.sync(() => {
          for (const pid of postgresProcessesFor(dataDir)) process.kill(pid, "SIGKILL")
        })
      )
      yield* waitReady(service)
      expect(existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true)
      expect(postgresProcessesFor(dataDir)).toHaveLength(1)
      const created = yield* createApplication(service.port, "embedded")
      expect(created.status, JSON.stringify(created.body)).toBe(201)

      const exit = yield* stopService(service, 10_000)
      expect(exit, service.output()).toEqual({ code: 0, signal: null })
      expect(postgresProcessesFor(dataDir)).toEqual([])
      expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false)
    }), 60_000)

  it.scopedLive("a bad PORT stops it with a non-zero exit and a message naming PORT, without a stack trace", () =>
    Effect.gen(function*() {
      const unused = path.join(yield* tempDir("main"), "never")
      const service = yield* startService({ PORT: "abc", EMBEDDED_PG_DIR: unused })
      const exit = yield* exitWithin(service, 30_000)
      expect(exit.code).not.toBe(0)
      expect(exit.code).not.toBeNull()
      const output = service.output()
      expect(output).toContain("PORT")
      expect(output).toContain("abc")
      expect(output).not.toMatch(/^ {4}at /m)
      expect(existsSync(unused)).toBe(false)
    }), 60_000)

  it.scopedLive("a bad DATABASE_URL or duration stops it before it starts, in one line with the form expected", () =>
    Effect.gen(function*() {
      const unused = path.join(yield* tempDir("main"), "never")
      const cases: ReadonlyArray<readonly [Record<string, string>, string]> = [
        [
          { DATABASE_URL: "http://user:s3cret@db/config" },
          "invalid setting: DATABASE_URL: expected a URL such as postgres://user:password@localhost:5432/config; " +
          "it must start with postgres:// or postgresql://"
        ],
        [
          { DATABASE_URL: "not-a-url" },
          "invalid setting: DATABASE_URL: expected a URL such as postgres://user:password@localhost:5432/config; " +
          "the value is not a URL"
        ],
        [
          { DATABASE_CONNECT_TIMEOUT: "2" },
          "invalid setting: DATABASE_CONNECT_TIMEOUT: " +
          "expected a duration such as \"2 seconds\" or \"500 millis\", got \"2\""
        ]
      ]
      for (const [env, line] of cases) {
        const service = yield* startService({ ...env, EMBEDDED_PG_DIR: unused })
        const exit = yield* exitWithin(service, 30_000)
        const output = service.output()
        expect(exit.code, output).toBe(1)
        expect(output).toContain(line)
        expect(output.trim().split("\n"), output).toHaveLength(1)
        expect(output).not.toContain("s3cret")
        expect(existsSync(unused)).toBe(false)
      }
    }), 120_000)

  it.scopedLive("a taken PORT stops it in one line before the embedded PostgreSQL is started", () =>
    Effect.gen(function*() {
      const port = yield* freePort
      yield* holdPort("127.0.0.1", port)
      const unused = path.join(yield* tempDir("main"), "never")
      const service = yield* startService({ PORT: String(port), EMBEDDED_PG_DIR: unused })
      const exit = yield* exitWithin(service, 30_000)
      const output = service.output()
      expect(exit.code, output).toBe(1)
      expect(output.trim().split("\n"), output).toHaveLength(1)
      expect(output).toContain(`PORT ${port} is already in use on 127.0.0.1; set PORT to a free port`)
      expect(existsSync(unused)).toBe(false)
    }), 60_000)

  it.scopedLive("once listening it logs where the docs and the OpenAPI document are, as a browser opens them", () =>
    Effect.gen(function*() {
      const url = yield* freshDatabase
      const service = yield* startService({ DATABASE_URL: Redacted.value(url), HOST: "0.0.0.0" })
      yield* waitReady(service)
      const base = `http://localhost:${service.port}`
      expect(service.output()).toContain(
        `Listening on http://0.0.0.0:${service.port}; docs at ${base}/docs, OpenAPI at ${base}/api/v1/openapi.json`
      )
      const docs = yield* Effect.promise(() => fetch(service.url("/docs")))
      expect(docs.status).toBe(200)
      const openApi = yield* Effect.promise(() => fetch(service.url("/api/v1/openapi.json")).then((r) => r.json()))
      expect(openApi).toMatchObject({ openapi: expect.stringMatching(/^3\.1/) })
      yield* stopService(service, 10_000)
    }), 60_000)
})
