import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, type Redacted } from "effect"
import { unlink, writeFile } from "node:fs/promises"
import path from "node:path"
import { layerPgClient } from "../src/ChangeFeed/Database.js"
import { MigrationsDirectory, Migrator } from "../src/Migrations/Migrator.js"
import { tempDir as processTempDir } from "./Process.js"

/** A new temporary folder, removed with everything in it when the scope closes. */
export const tempDir = processTempDir("migrations", { reachable: false })

/** Writes (or overwrites) `name → contents` files in `dir`. */
export const writeFiles = (dir: string, files: Record<string, string>) =>
  Effect.promise(() =>
    Promise.all(Object.entries(files).map(([name, contents]) => writeFile(path.join(dir, name), contents)))
  )

export const removeFile = (dir: string, name: string) => Effect.promise(() => unlink(path.join(dir, name)))

/** A temporary folder holding the given migration files. */
export const migrationsFolder = (files: Record<string, string>) => Effect.tap(tempDir, (dir) => writeFiles(dir, files))

export const layerPool = (url: Redacted.Redacted<string>) =>
  layerPgClient({ url, poolSize: 3, connectTimeout: "5 seconds", statementTimeout: "30 seconds" })

/** A `SqlClient` over its own pool on `url`, closed when the scope closes. */
export const connect = (url: Redacted.Redacted<string>) =>
  Effect.map(Layer.build(layerPool(url)), Context.get(SqlClient.SqlClient))

/** The `Migrator` (over its own pool) as a layer; `dir` overrides the service's migrations folder. */
export const layerMigrator = (url: Redacted.Redacted<string>, dir?: string) => {
  const migrator = Migrator.Default.pipe(Layer.provide(layerPool(url)))
  return dir === undefined ? migrator : migrator.pipe(Layer.provide(Layer.succeed(MigrationsDirectory, dir)))
}

/**
 * A new `Migrator` instance, as a new runner process would make one: it reads the files in
 * `dir` now and has its own pool on `url`, closed when the scope closes.
 */
export const makeMigrator = (url: Redacted.Redacted<string>, dir?: string) =>
  Effect.map(Layer.build(layerMigrator(url, dir)), Context.get(Migrator))

export interface LedgerRow {
  readonly version: number
  readonly name: string
  readonly checksum: string
  readonly applied_at: string
  readonly duration_ms: number
}

/** The ledger's rows, by version. */
export const ledger = (sql: SqlClient.SqlClient) =>
  sql<LedgerRow>`SELECT version, name, checksum, applied_at, duration_ms FROM migrations ORDER BY version`

/** Whether a table of that name exists in the database. */
export const tableExists = (sql: SqlClient.SqlClient, table: string) =>
  Effect.map(
    sql<{ exists: boolean }>`SELECT to_regclass(${table}) IS NOT NULL AS exists`,
    (rows) => rows[0]?.exists === true
  )
