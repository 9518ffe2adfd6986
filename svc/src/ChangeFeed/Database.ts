import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import { layerPgPool, type PoolOptions } from "../Postgres/PgPool.js"
import { layerChangeFeed } from "./ChangeFeed.js"

export interface DatabaseOptions extends PoolOptions {
  /** Where the change feed listens; default `url`. Behind a transaction pooler, PostgreSQL itself. */
  readonly listenUrl?: Redacted.Redacted<string> | undefined
}

/** A database as the service uses it: `PgClient` and `SqlClient` over its pool (`layerPgPool`), and its `ChangeFeed`. */
export const layerPgClient = (options: DatabaseOptions) =>
  Layer.merge(layerPgPool(options), layerChangeFeed({ listenUrl: options.listenUrl ?? options.url, probeUrl: options.url }))
