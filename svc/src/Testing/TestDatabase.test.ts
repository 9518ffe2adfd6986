import { NodeHttpServer } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { layerPgClient } from "../ChangeFeed/Database.js"
import { MigrateUp, Migrator } from "../Migrations/Migrator.js"
import { HttpAppLive, makeClient, Settings } from "../index.js"
import { layerTestDatabase } from "../testing.js"
import { freshDatabase, layerEmptyDatabase, testServerUrl } from "./TestDatabase.js"

// The README's "Compose the service in your own tests" example, verbatim but for the import paths.
const ConfigServiceTest = HttpAppLive.pipe(
  Layer.provideMerge(NodeHttpServer.layerTest),
  Layer.provide(layerTestDatabase),
  Layer.provide(Settings.Live)
)

it.layer(ConfigServiceTest)("my application's configuration", (it) => {
  it.effect("stores and reads back a configuration", () =>
    Effect.gen(function*() {
      const client = yield* makeClient()
      const app = yield* client.applications.create({ payload: { name: "checkout" } })
      const created = yield* client.configurations.create({
        payload: { application_id: app.id, name: "production", config: { currency: "EUR", retries: 3 } }
      })
      const read = yield* client.configurations.get({ path: { id: created.id }, urlParams: {} })
      expect(read.config).toEqual({ currency: "EUR", retries: 3 })
    }))
})
// End of the README example.

const query = <A extends object>(statement: (sql: SqlClient.SqlClient) => Effect.Effect<ReadonlyArray<A>, unknown>) =>
  Effect.flatMap(SqlClient.SqlClient, statement)

it.effect("each fresh database is new and empty, and is dropped when its scope closes", () =>
  Effect.gen(function*() {
    const urls = yield* Effect.scoped(Effect.all([freshDatabase, freshDatabase]))
    const [a, b] = urls.map((url) => new URL(Redacted.value(url)).pathname.slice(1))
    expect(a).not.toBe(b)
    const [tables, left] = yield* Effect.scoped(
      Effect.all([
        query((sql) => sql`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`),
        query((sql) => sql`SELECT count(*)::int AS n FROM pg_database WHERE datname IN (${a!}, ${b!})`)
      ]).pipe(Effect.provide(layerEmptyDatabase))
    )
    expect(tables).toEqual([{ n: 0 }])
    expect(left).toEqual([{ n: 0 }])
  }))

/** Every column, constraint, index, function and trigger of the public schema, and the ledger's rows. */
const schemaAndLedger = query((sql) =>
  sql<{ item: string }>`
    SELECT concat_ws(' ', table_name, column_name, data_type, is_nullable, column_default) AS item
      FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL SELECT concat_ws(' ', conrelid::regclass, conname, pg_get_constraintdef(oid)) FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace
    UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL SELECT pg_get_functiondef(oid) FROM pg_proc WHERE pronamespace = 'public'::regnamespace
    UNION ALL SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL SELECT concat_ws(' ', version, name, checksum) FROM migrations
    ORDER BY 1`
).pipe(Effect.map((rows) => rows.map((row) => row.item)))

it.effect("a test database, copied from the suite's migrated template, is what migrating an empty one makes", () =>
  Effect.gen(function*() {
    expect(process.env.TEST_TEMPLATE_DATABASE).toMatch(/^template_/)
    const copied = yield* Effect.scoped(Effect.provide(schemaAndLedger, layerTestDatabase))
    const migrated = yield* Effect.scoped(
      Effect.provide(schemaAndLedger, MigrateUp.pipe(Layer.provideMerge(Migrator.Default), Layer.provideMerge(layerEmptyDatabase)))
    )
    expect(copied.filter((item) => item.startsWith("5 application_schemas "))).toHaveLength(1)
    expect(copied).toEqual(migrated)
  }))

it.scoped("without TEST_DATABASE_URL it starts its own embedded PostgreSQL 16", () =>
  Effect.gen(function*() {
    const shared = process.env.TEST_DATABASE_URL
    delete process.env.TEST_DATABASE_URL
    const url = yield* testServerUrl.pipe(Effect.ensuring(Effect.sync(() => (process.env.TEST_DATABASE_URL = shared))))
    expect(Redacted.value(url)).not.toBe(shared)
    const rows = yield* query((sql) => sql<{ server_version: string }>`SHOW server_version`).pipe(
      Effect.provide(layerPgClient({ url, poolSize: 1, connectTimeout: "5 seconds", statementTimeout: "5 seconds" }))
    )
    expect(rows[0]?.server_version).toMatch(/^16\./)
  }), 60_000)
