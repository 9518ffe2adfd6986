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

const databaseName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`

const urlOf = (serverUrl: Redacted.Redacted<string>, name: string) => {
  const url = new URL(Redacted.value(serverUrl))
  url.pathname = `/${name}`
  return Redacted.make(url.toString())
}

/** A new database on the test server made by `create`, dropped when the scope closes; yields its URL. */
const scopedDatabase = (create: (name: string) => string) =>
  Effect.gen(function*() {
    const serverUrl = yield* testServerUrl
    const name = databaseName("test")
    yield* Effect.acquireRelease(
      admin(serverUrl, (client) => client.query(create(name))),
      () => admin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
    )
    return urlOf(serverUrl, name)
  })

/** A new, empty database on the test server, dropped when the scope closes; yields its URL. */
export const freshDatabase = scopedDatabase((name) => `CREATE DATABASE ${name}`)

const poolOptions = { poolSize: 5, connectTimeout: "5 seconds", statementTimeout: "30 seconds" } as const

const layerDatabase = (database: typeof freshDatabase) =>
  Layer.unwrapScoped(Effect.map(database, (url) => layerPgClient({ url, ...poolOptions })))

/** `SqlClient`/`PgClient` on a fresh, empty database. */
export const layerEmptyDatabase = layerDatabase(freshDatabase)

const migrated = MigrateUp.pipe(Layer.provideMerge(Migrator.Default))

/**
 * Makes a database on `serverUrl` with every migration applied, ledger included, that later
 * `CREATE DATABASE … TEMPLATE` statements copy; yields its name. Nobody may connect to it
 * afterwards: PostgreSQL copies a database only while no one else is connected to it.
 */
export const makeMigratedTemplate = (serverUrl: Redacted.Redacted<string>) =>
  Effect.gen(function*() {
    const name = databaseName("template")
    yield* admin(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`))
    yield* Layer.build(migrated.pipe(Layer.provide(layerPgClient({ url: urlOf(serverUrl, name), ...poolOptions })))).pipe(
      Effect.scoped
    )
    yield* admin(serverUrl, (client) => client.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`))
    return name
  })

/** The migrated template of the shared test server (`TEST_TEMPLATE_DATABASE`, from the suite's global setup). */
const sharedTemplate = () => process.env.TEST_DATABASE_URL ? process.env.TEST_TEMPLATE_DATABASE : undefined

/** A copy of the shared migrated template when there is one, otherwise a fresh database; migrated by `MigrateUp`. */
const copiedOrFreshDatabase = Effect.suspend(() => {
  const template = sharedTemplate()
  return template ? scopedDatabase((name) => `CREATE DATABASE ${name} TEMPLATE ${template}`) : freshDatabase
})

/**
 * `SqlClient`/`PgClient` and the `Migrator` on a fresh database with every migration applied:
 * a copy of the suite's migrated template, on which `MigrateUp` finds nothing left to do.
 */
export const layerTestDatabase = migrated.pipe(Layer.provideMerge(layerDatabase(copiedOrFreshDatabase)))
