import * as PgClient from "@effect/sql-pg/PgClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import pg from "pg"
import { PreparingClient } from "./PreparedStatements.js"

export interface PoolOptions {
  readonly url: Redacted.Redacted<string>
  readonly poolSize: number
  readonly connectTimeout: Duration.DurationInput
  readonly statementTimeout: Duration.DurationInput
}

const timestamptz = 1184
const parseTimestamptz = pg.types.getTypeParser(timestamptz) as (value: string) => Date

/** `timestamptz` arrives as an ISO-8601 UTC string, the form the API speaks. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === timestamptz
      ? (value: string) => parseTimestamptz(value).toISOString()
      : pg.types.getTypeParser(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"]
}

/**
 * Session settings, sent once on every new connection rather than as startup parameters:
 * PgBouncer refuses unknown startup parameters. Behind a transaction pooler PgBouncer carries
 * `TimeZone` over to whichever server connection serves the client; `statement_timeout` stays
 * on the server connection that ran it (the same value for every instance of the service).
 */
const sessionSettings = (statementMs: number) =>
  `SET statement_timeout = ${Math.round(statementMs)}; SET TimeZone = 'UTC'`

/**
 * A node-postgres pool, ended when the scope closes. Acquiring a connection gives up after
 * `connectTimeout` and PostgreSQL cancels a statement after `statementTimeout`; how long a
 * request waits on a database that stopped answering is the repositories' `DatabaseDeadline`. (No client-side query timeout: it
 * would also cut a migration that lifted its statement timeout.) Parameterized statements
 * are prepared once per connection (`PreparingClient`).
 */
export const acquirePgPool = (options: PoolOptions) => {
  const statementMs = Duration.toMillis(options.statementTimeout)
  return Effect.acquireRelease(
    Effect.sync(() => {
      const pool = new pg.Pool({
        connectionString: Redacted.value(options.url),
        max: options.poolSize,
        connectionTimeoutMillis: Duration.toMillis(options.connectTimeout),
        idleTimeoutMillis: 30_000,
        keepAlive: true,
        application_name: "config-service",
        types,
        Client: PreparingClient,
        onConnect: (client: pg.PoolClient) => client.query(sessionSettings(statementMs))
      } as pg.PoolConfig)
      pool.on("error", () => {})
      return pool
    }),
    (pool) => Effect.promise(() => pool.end()).pipe(Effect.timeoutOption("5 seconds"))
  )
}

/** `PgClient` and `SqlClient` over `pool`, whose life is its owner's. */
export const pgClientOn = (pool: pg.Pool) => PgClient.layerFromPool({ acquire: Effect.succeed(pool), types })

/** `PgClient` and `SqlClient` over a pool of their own (`acquirePgPool`), closed with the layer. */
export const layerPgPool = (options: PoolOptions) => PgClient.layerFromPool({ acquire: acquirePgPool(options), types })
