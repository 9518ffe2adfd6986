import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Exit, Layer, Logger, Redacted, Scope } from "effect"
import { existsSync } from "node:fs"
import path from "node:path"
import pg from "pg"
import { postgresProcessesFor, tempDir } from "../../test/Process.js"
import { settingsFrom } from "../../test/ServiceTest.js"
import { freshDatabase } from "../Testing/TestDatabase.js"
import { DatabaseLive } from "./Database.js"

const quiet = Logger.remove(Logger.defaultLogger)

describe("DatabaseLive", () => {
  it.scopedLive("with DATABASE_URL uses that database and starts nothing", () =>
    Effect.gen(function*() {
      const url = yield* freshDatabase
      const embeddedDir = path.join(yield* tempDir("database"), "never")
      const context = yield* Layer.build(
        DatabaseLive.pipe(Layer.provide(settingsFrom({
          DATABASE_URL: Redacted.value(url),
          DATABASE_STATEMENT_TIMEOUT: "3 seconds",
          EMBEDDED_PG_DIR: embeddedDir
        })))
      )
      const sql = Context.get(context, SqlClient.SqlClient)
      const [row] = yield* sql<{ db: string }>`SELECT current_database() AS db`
      expect(row!.db).toBe(new URL(Redacted.value(url)).pathname.slice(1))
      const [settings] = yield* sql<{ timeout: string; tz: string; app: string }>`
        SELECT current_setting('statement_timeout') AS timeout,
               current_setting('TimeZone') AS tz,
               current_setting('application_name') AS app`
      expect(settings).toEqual({ timeout: "3s", tz: "UTC", app: "config-service" })
      expect(existsSync(embeddedDir)).toBe(false)
    }))

  it.live("without DATABASE_URL starts an embedded PostgreSQL on EMBEDDED_PG_DIR and stops it with the scope", () =>
    Effect.scoped(Effect.gen(function*() {
      const dataDir = path.join(yield* tempDir("database"), "postgres")
      const scope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(
        DatabaseLive.pipe(Layer.provide(settingsFrom({ EMBEDDED_PG_DIR: dataDir }))),
        scope
      ).pipe(Effect.provide(quiet))
      const sql = Context.get(context, SqlClient.SqlClient)
      const [one] = yield* sql<{ one: number }>`SELECT 1 AS one`
      expect(one!.one).toBe(1)
      const [server] = yield* sql<{ dir: string; port: number; version: string }>`
        SELECT current_setting('data_directory') AS dir, inet_server_port() AS port,
               current_setting('server_version_num') AS version`
      expect(server!.dir).toBe(dataDir)
      expect(server!.version).toMatch(/^16/)
      expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(true)
      expect(postgresProcessesFor(dataDir)).toHaveLength(1)

      yield* Scope.close(scope, Exit.void).pipe(Effect.provide(quiet))
      expect(postgresProcessesFor(dataDir)).toEqual([])
      expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false)
      const refused = yield* Effect.either(Effect.tryPromise(async () => {
        const client = new pg.Client({
          connectionString: `postgres://postgres:postgres@127.0.0.1:${server!.port}/postgres`,
          connectionTimeoutMillis: 2_000
        })
        await client.connect()
        await client.end()
      }))
      expect(refused._tag).toBe("Left")
    })), 60_000)
})
