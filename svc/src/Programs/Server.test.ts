import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Exit, Fiber, Layer, Logger, LogLevel, Redacted, Scope } from "effect"
import { existsSync } from "node:fs"
import path from "node:path"
import pg from "pg"
import { accepts, freePort, holdPort, waitFor200 } from "../../test/Net.js"
import { tempDir } from "../../test/Process.js"
import { settingsFrom } from "../../test/ServiceTest.js"
import { PortUnavailable } from "./Listen.js"
import { lockKey, MigrationError, Migrator } from "../Migrations/Migrator.js"
import { ServerLive, StartupMigrations } from "./Server.js"
import { freshDatabase, layerEmptyDatabase, layerTestDatabase } from "../Testing/TestDatabase.js"

/** StartupMigrations over `database`, with its Migrator and SqlClient kept in the output. */
const startup = <E>(database: Layer.Layer<SqlClient.SqlClient, E>, values: Record<string, string>) =>
  StartupMigrations.pipe(
    Layer.provideMerge(Layer.provideMerge(Migrator.Default, database)),
    Layer.provide(settingsFrom(values))
  )

const tables = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) => sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`
).pipe(Effect.map((rows) => rows.map((row) => row.name)))

describe("StartupMigrations", () => {
  it.scoped("with MIGRATE_ON_START=false refuses an empty database and changes nothing", () =>
    Effect.gen(function*() {
      const database = yield* Layer.memoize(layerEmptyDatabase)
      const error = yield* Effect.flip(Layer.build(startup(database, { MIGRATE_ON_START: "false" })))
      expect(error).toBeInstanceOf(MigrationError)
      expect(error.message).toContain("MIGRATE_ON_START")
      expect(error.message).toContain("pending")
      expect(yield* Effect.provide(tables, database)).toEqual([])
    }))

  it.scoped("with MIGRATE_ON_START=false starts on a migrated database", () =>
    Effect.gen(function*() {
      const context = yield* Layer.build(startup(layerTestDatabase, { MIGRATE_ON_START: "false" }))
      const migrator = Context.get(context, Migrator)
      expect(yield* migrator.isCurrent).toBe(true)
    }))

  it.scoped("with MIGRATE_ON_START=true (the default) migrates an empty database", () =>
    Effect.gen(function*() {
      const context = yield* Layer.build(startup(layerEmptyDatabase, {}))
      const migrator = Context.get(context, Migrator)
      expect(yield* migrator.isCurrent).toBe(true)
      const statuses = yield* migrator.status
      expect(statuses.length).toBeGreaterThan(0)
      expect(statuses.every((s) => s.state === "applied")).toBe(true)
      const names = yield* Effect.provide(tables, Layer.succeedContext(context))
      expect(names).toEqual(expect.arrayContaining(["applications", "configurations", "migrations"]))
    }))
})

/** ServerLive with the given settings; its own logs silenced (LoggerLive is applied by `runServer`, not here). */
const serverConfig = (values: Record<string, string>) => ServerLive.pipe(Layer.provide(settingsFrom(values)))

const quietly = <A, E, R>(effect: Effect.Effect<A, E, R>) => Logger.withMinimumLogLevel(effect, LogLevel.None)

describe("ServerLive", () => {
  it.live("serves on PORT/HOST over a migrated database and releases the port when its scope closes", () =>
    Effect.scoped(Effect.gen(function*() {
      const url = yield* freshDatabase
      const port = yield* freePort
      const base = `http://127.0.0.1:${port}`
      const scope = yield* Scope.make()
      yield* quietly(Layer.buildWithScope(
        serverConfig({ PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: Redacted.value(url), LOG_LEVEL: "none" }),
        scope
      ))
      yield* waitFor200(`${base}/health/ready`)
      const ready = yield* Effect.promise(() => fetch(`${base}/health/ready`).then((r) => r.json()))
      expect(ready).toMatchObject({ status: "ok" })

      const created = yield* Effect.promise(async () => {
        const response = await fetch(`${base}/api/v1/applications`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "server-test", comments: "from ServerLive" })
        })
        return { status: response.status, location: response.headers.get("location"), body: await response.json() }
      })
      expect(created.status).toBe(201)
      expect(created.body).toMatchObject({ name: "server-test", comments: "from ServerLive", version: 1 })
      expect(created.location).toBe(`/api/v1/applications/${(created.body as { id: string }).id}`)
      const fetched = yield* Effect.promise(() => fetch(`${base}${created.location}`).then((r) => r.json()))
      expect(fetched).toEqual(created.body)

      expect(yield* accepts(port)).toBe(true)
      yield* quietly(Scope.close(scope, Exit.void))
      expect(yield* accepts(port)).toBe(false)
    })), 30_000)

  it.live("does not listen when startup fails (MIGRATE_ON_START=false on an empty database)", () =>
    Effect.scoped(Effect.gen(function*() {
      const url = yield* freshDatabase
      const port = yield* freePort
      const error = yield* Effect.flip(quietly(Effect.scoped(Layer.build(serverConfig({
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: Redacted.value(url),
        LOG_LEVEL: "none",
        MIGRATE_ON_START: "false"
      })))))
      expect(error).toBeInstanceOf(MigrationError)
      expect(yield* accepts(port)).toBe(false)
    })), 30_000)

  it.scopedLive("a taken PORT stops it before the embedded database is started", () =>
    Effect.gen(function*() {
      const port = yield* freePort
      yield* holdPort("127.0.0.1", port)
      const dataDir = path.join(yield* tempDir("server"), "never")
      const error = yield* Effect.flip(quietly(Effect.scoped(Layer.build(serverConfig({
        PORT: String(port),
        HOST: "127.0.0.1",
        EMBEDDED_PG_DIR: dataDir
      })))))
      expect(error).toBeInstanceOf(PortUnavailable)
      expect(error.message).toBe(`PORT ${port} is already in use on 127.0.0.1; set PORT to a free port`)
      expect(existsSync(dataDir)).toBe(false)
    }), 30_000)

  it.scopedLive("a PORT taken after the check, while migrations wait, fails with the same line", () =>
    Effect.gen(function*() {
      const url = Redacted.value(yield* freshDatabase)
      const port = yield* freePort
      const locker = new pg.Client({ connectionString: url })
      yield* Effect.acquireRelease(Effect.promise(() => locker.connect()), () => Effect.promise(() => locker.end()))
      yield* Effect.promise(() => locker.query(`BEGIN; SELECT pg_advisory_xact_lock(${lockKey})`))
      const starting = yield* Effect.fork(Effect.flip(quietly(Effect.scoped(Layer.build(serverConfig({
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: url
      }))))))
      // the port check has passed once the migrator waits for the lock
      yield* Effect.promise(async () => {
        const waiting = `SELECT count(*)::int AS n FROM pg_locks JOIN pg_database d ON d.oid = database
                         WHERE d.datname = current_database() AND locktype = 'advisory' AND NOT granted`
        while ((await locker.query(waiting)).rows[0].n === 0) await new Promise((resolve) => setTimeout(resolve, 20))
      })
      yield* holdPort("127.0.0.1", port)
      yield* Effect.promise(() => locker.query("COMMIT"))
      const error = yield* Fiber.join(starting)
      expect(error).toBeInstanceOf(PortUnavailable)
      expect(error.message).toBe(`PORT ${port} is already in use on 127.0.0.1; set PORT to a free port`)
    }), 30_000)
})

