import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import path from "node:path"
import pg from "pg"
import { startEmbeddedPostgres } from "../Postgres/EmbeddedPostgres.js"
import { layerPgClient } from "../ChangeFeed/Database.js"
import { MigrateUp, Migrator } from "../Migrations/Migrator.js"

/**
 * The PostgreSQL server tests run against: `TEST_DATABASE_URL` when set (the test suite's
 * global setup starts one embedded server per run), otherwise an embedded PostgreSQL 16 in
 * a temporary folder, removed when the scope closes.
 */
export const testServerUrl = Effect.gen(function*() {
  const shared = process.env.TEST_DATABASE_URL
  if (shared) return Redacted.make(shared)
  const base = yield* Effect.acquireRelease(
    Effect.promise(() => mkdtemp(path.join(tmpdir(), "config-service-pg-"))),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )
  yield* Effect.promise(() => chmod(base, 0o755))
  const running = yield* startEmbeddedPostgres(path.join(base, "data"))
  return running.url
})

const admin = <A>(serverUrl: Redacted.Redacted<string>, f: (client: pg.Client) => Promise<A>) =>
  Effect.promise(async () => {
    const client = new pg.Client({ connectionString: Redacted.value(serverUrl) })
    await client.connect()
    try {
      return await f(client)
    } finally {
      await client.end()
    }
  })

/** A new, empty database on the test server, dropped when the scope closes; yields its URL. */
export const freshDatabase = Effect.gen(function*() {
  const serverUrl = yield* testServerUrl
  const name = `test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`
  yield* Effect.acquireRelease(
    admin(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`)),
    () => admin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
  )
  const url = new URL(Redacted.value(serverUrl))
  url.pathname = `/${name}`
  return Redacted.make(url.toString())
})

const poolOptions = { poolSize: 5, connectTimeout: "5 seconds", statementTimeout: "30 seconds" } as const

/** `SqlClient`/`PgClient` on a fresh, empty database. */
export const layerEmptyDatabase = Layer.unwrapScoped(
  Effect.map(freshDatabase, (url) => layerPgClient({ url, ...poolOptions }))
)

/** `SqlClient`/`PgClient` and the `Migrator` on a fresh database with every migration applied. */
export const layerTestDatabase = MigrateUp.pipe(
  Layer.provideMerge(Migrator.Default),
  Layer.provideMerge(layerEmptyDatabase)
)
