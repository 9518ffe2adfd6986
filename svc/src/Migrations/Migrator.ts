import * as NodeContext from "@effect/platform-node/NodeContext"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { fileURLToPath } from "node:url"
import { type MigrationFile, MigrationError, readMigrationFiles } from "./Files.js"

export { MigrationError } from "./Files.js"

/** Where the `.sql` migrations live; defaults to the service's `migrations/` folder. */
export class MigrationsDirectory extends Context.Reference<MigrationsDirectory>()("Migrations/Directory", {
  defaultValue: () => fileURLToPath(new URL("../../migrations", import.meta.url))
}) {}

export type MigrationState = "applied" | "pending" | "drifted" | "missing" | "out-of-order"

export interface MigrationStatus {
  readonly version: number
  readonly name: string
  readonly state: MigrationState
  readonly appliedAt: string | null
  readonly durationMs: number | null
}

const Applied = Schema.Struct({
  version: Schema.Number,
  name: Schema.String,
  checksum: Schema.String,
  applied_at: Schema.String,
  duration_ms: Schema.Number
})
type Applied = typeof Applied.Type

/** Every advisory lock taken by the migrator uses this key, so runners serialise. */
export const lockKey = 0x636f6e666967 // "config"

const describe = (status: MigrationStatus) => {
  const file = `${String(status.version).padStart(4, "0")}_${status.name}.sql`
  switch (status.state) {
    case "drifted":
      return `${file}: changed after it was applied (checksum differs from the ledger)`
    case "missing":
      return `${file}: applied, but the file is gone`
    case "out-of-order":
      return `${file}: pending, but numbered below an applied migration`
    default:
      return `${file}: ${status.state}`
  }
}

export class Migrator extends Effect.Service<Migrator>()("Migrations/Migrator", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const files = yield* readMigrationFiles(yield* MigrationsDirectory).pipe(Effect.provide(NodeContext.layer))

    /**
     * Waiting for another runner, and a long migration, may both outlast the pool's
     * statement timeout; inside the migrator's transactions neither is cut short.
     */
    const lock = Effect.zipRight(sql`SET LOCAL statement_timeout = 0`, sql`SELECT pg_advisory_xact_lock(${lockKey})`)

    const ensureLedger = sql.withTransaction(
      Effect.zipRight(
        lock,
        sql`CREATE TABLE IF NOT EXISTS migrations (
              version     integer PRIMARY KEY,
              name        text NOT NULL,
              checksum    text NOT NULL,
              applied_at  timestamptz NOT NULL DEFAULT now(),
              duration_ms integer NOT NULL
            )`
      )
    )

    const ledgerExists = sql<{ exists: boolean }>`SELECT to_regclass('migrations') IS NOT NULL AS exists`.pipe(
      Effect.map((rows) => rows[0]?.exists === true)
    )

    const readLedger = Effect.flatMap(
      sql`SELECT version, name, checksum, to_json(applied_at) #>> '{}' AS applied_at, duration_ms FROM migrations ORDER BY version`,
      Schema.decodeUnknown(Schema.Array(Applied))
    ).pipe(Effect.orDie)

    const compare = (applied: ReadonlyArray<Applied>): Array<MigrationStatus> => {
      const byVersion = new Map(applied.map((row) => [row.version, row]))
      const highestApplied = applied.reduce((max, row) => Math.max(max, row.version), 0)
      const statuses: Array<MigrationStatus> = files.map((file) => {
        const row = byVersion.get(file.version)
        if (!row) {
          return {
            version: file.version,
            name: file.name,
            state: file.version < highestApplied ? "out-of-order" : "pending",
            appliedAt: null,
            durationMs: null
          }
        }
        return {
          version: file.version,
          name: file.name,
          state: row.checksum === file.checksum ? "applied" : "drifted",
          appliedAt: row.applied_at,
          durationMs: row.duration_ms
        }
      })
      for (const row of applied) {
        if (!files.some((file) => file.version === row.version)) {
          statuses.push({
            version: row.version,
            name: row.name,
            state: "missing",
            appliedAt: row.applied_at,
            durationMs: row.duration_ms
          })
        }
      }
      return statuses.sort((a, b) => a.version - b.version)
    }

    /** Every migration file and ledger row with its state. */
    const status = Effect.flatMap(ledgerExists, (exists) => exists ? readLedger : Effect.succeed([])).pipe(
      Effect.map(compare),
      Effect.withSpan("Migrator.status")
    )

    /** Human-readable problems: drift, missing files, out-of-order pending files. Empty when sound. */
    const verify = Effect.map(
      status,
      (statuses) => statuses.filter((s) => s.state !== "applied" && s.state !== "pending").map(describe)
    )

    const failOnProblems = Effect.flatMap(verify, (problems) =>
      problems.length === 0
        ? Effect.void
        : Effect.fail(new MigrationError({ message: `migrations are not sound:\n  ${problems.join("\n  ")}` })))

    const applyOne = (file: MigrationFile) =>
      sql.withTransaction(
        Effect.gen(function*() {
          yield* lock
          const done = yield* sql`SELECT 1 FROM migrations WHERE version = ${file.version}`
          if (done.length > 0) return false
          yield* failOnProblems
          const started = performance.now()
          yield* sql.unsafe(file.sql).pipe(
            Effect.mapError((cause) =>
              new MigrationError({ message: `${file.file} failed: ${cause.cause instanceof Error ? cause.cause.message : cause.message}` })
            )
          )
          const durationMs = Math.round(performance.now() - started)
          yield* sql`INSERT INTO migrations (version, name, checksum, duration_ms)
                     VALUES (${file.version}, ${file.name}, ${file.checksum}, ${durationMs})`
          yield* Effect.logInfo(`applied migration ${file.file} in ${durationMs} ms`)
          return true
        })
      )

    /**
     * Applies pending migrations in order, each in its own transaction with its ledger row.
     * Concurrent runners serialise on an advisory lock; each file is applied exactly once.
     * Refuses (applies nothing) when the ledger and the files disagree.
     */
    const up = Effect.gen(function*() {
      yield* ensureLedger
      yield* failOnProblems
      const applied: Array<string> = []
      for (const file of files) {
        if (yield* applyOne(file)) applied.push(file.file)
      }
      return applied
    }).pipe(Effect.withSpan("Migrator.up"))

    /** Whether every migration file is applied, unchanged, and nothing else is in the ledger. */
    const isCurrent = Effect.map(status, (statuses) => statuses.every((s) => s.state === "applied"))

    return { files, status, verify, up, isCurrent } as const
  })
}) {}

/** Applies pending migrations when the layer is built. */
export const MigrateUp = Layer.effectDiscard(Effect.flatMap(Migrator, (migrator) => migrator.up))

export const formatStatus = (statuses: ReadonlyArray<MigrationStatus>): string => {
  const header = ["version", "name", "state", "applied at", "duration"]
  const rows = statuses.map((s) => [
    String(s.version).padStart(4, "0"),
    s.name,
    s.state,
    s.appliedAt ?? "",
    s.durationMs === null ? "" : `${s.durationMs} ms`
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: ReadonlyArray<string>) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")
}
