import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { createServer, type Server, type Socket } from "node:net"
import { freshDatabase } from "../Testing/TestDatabase.js"
import { layerPgPool } from "./PgPool.js"
import { isUnavailable, sqlState } from "./SqlErrors.js"

const PoolTest = Layer.unwrapScoped(
  Effect.map(freshDatabase, (url) => layerPgPool({ url, poolSize: 3, connectTimeout: "5 seconds", statementTimeout: "1 second" }))
)

const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

it.layer(PoolTest)("layerPgPool", (it) => {
  it.effect("timestamptz comes back as an ISO-8601 UTC string", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const [row] = yield* sql<{ t: unknown }>`SELECT now() AS t`
      expect(typeof row!.t).toBe("string")
      const t = row!.t as string
      expect(t).toMatch(/Z$/)
      expect(t).toMatch(isoUtc)
      expect(Number.isFinite(Date.parse(t))).toBe(true)
      expect(new Date(t).toISOString()).toBe(t)
      expect(Math.abs(Date.parse(t) - Date.now())).toBeLessThan(60_000)
    }))

  it.effect("a timestamptz written with an offset reads back in UTC", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const [row] = yield* sql<{ t: string }>`SELECT '2024-01-02 03:04:05.678+02'::timestamptz AS t`
      expect(row!.t).toBe("2024-01-02T01:04:05.678Z")
      const [bound] = yield* sql<{ t: string }>`SELECT ${"2030-06-30T23:59:59.000Z"}::timestamptz AS t`
      expect(bound!.t).toBe("2030-06-30T23:59:59.000Z")
    }))

  it.effect("the session time zone is UTC", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const [row] = yield* sql<{ tz: string }>`SELECT current_setting('TimeZone') AS tz`
      expect(row!.tz).toBe("UTC")
      const [local] = yield* sql<{ text: string }>`SELECT '2024-01-02T01:04:05Z'::timestamptz::text AS text`
      expect(local!.text).toBe("2024-01-02 01:04:05+00")
    }))

  it.effect("jsonb arrays, nested objects and unicode round-trip", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const values: ReadonlyArray<unknown> = [
        [1, "two", null, true, { three: [3] }],
        { a: { b: { c: { d: [1, 2, { e: "deep" }] } } }, empty: {}, list: [] },
        { greeting: "héllo wörld ✓ 日本語 🚀", quote: "\"quoted\" and \\ backslash", newline: "a\nb" },
        { number: 1.5, negative: -42, big: 9007199254740991, zero: 0 },
        "just a string",
        []
      ]
      for (const value of values) {
        const [row] = yield* sql<{ v: unknown }>`SELECT ${JSON.stringify(value)}::jsonb AS v`
        expect(row!.v).toEqual(value)
      }
      yield* sql`CREATE TABLE docs (id serial PRIMARY KEY, body jsonb NOT NULL)`
      for (const value of values) yield* sql`INSERT INTO docs (body) VALUES (${JSON.stringify(value)}::jsonb)`
      const rows = yield* sql<{ body: unknown }>`SELECT body FROM docs ORDER BY id`
      expect(rows.map((row) => row.body)).toEqual(values)
    }))

  it.effect("a statement over the statement timeout fails as unavailable with 57014", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const started = Date.now()
      const error = yield* Effect.flip(sql`SELECT pg_sleep(5)`)
      expect(Date.now() - started).toBeLessThan(4_000)
      expect(error).toBeInstanceOf(SqlError)
      expect(sqlState(error)).toBe("57014")
      expect(isUnavailable(error)).toBe(true)
      const [row] = yield* sql<{ one: number }>`SELECT 1 AS one`
      expect(row!.one).toBe(1)
    }))
})

it.effect("a pool to a closed port fails fast and is classified as unavailable", () =>
  Effect.gen(function*() {
    const started = Date.now()
    const error = yield* Effect.flip(
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT 1`).pipe(
        Effect.provide(layerPgPool({
          url: Redacted.make("postgres://postgres:postgres@127.0.0.1:1/x"),
          poolSize: 2,
          connectTimeout: "1 second",
          statementTimeout: "5 seconds"
        }))
      )
    )
    expect(Date.now() - started).toBeLessThan(3_000)
    expect(error).toBeInstanceOf(SqlError)
    expect(isUnavailable(error)).toBe(true)
  }))

/** A TCP server that accepts connections and never answers, like a hung database host. */
const silentServer = Effect.acquireRelease(
  Effect.async<{ port: number; sockets: Set<Socket>; server: Server }>((resume) => {
    const sockets = new Set<Socket>()
    const server = createServer((socket) => {
      sockets.add(socket)
    })
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      resume(Effect.succeed({ port: typeof address === "object" && address ? address.port : 0, sockets, server }))
    })
  }),
  (silent) =>
    Effect.async<void>((resume) => {
      for (const socket of silent.sockets) socket.destroy()
      silent.server.close(() => resume(Effect.void))
    })
)

it.scoped("a host that never answers fails after connectTimeout and is classified as unavailable", () =>
  Effect.gen(function*() {
    const silent = yield* silentServer
    const started = Date.now()
    const error = yield* Effect.flip(
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT 1`).pipe(
        Effect.provide(layerPgPool({
          url: Redacted.make(`postgres://postgres:postgres@127.0.0.1:${silent.port}/x`),
          poolSize: 2,
          connectTimeout: "1 second",
          statementTimeout: "5 seconds"
        }))
      )
    )
    const elapsed = Date.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(900)
    expect(elapsed).toBeLessThan(3_000)
    expect(error).toBeInstanceOf(SqlError)
    expect(isUnavailable(error)).toBe(true)
  }))
