import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import { DatabaseLoad, waitingPerConnection } from "../Postgres/DatabaseLoad.js"
import { DirectReads, directReadsOn } from "../Postgres/DirectReads.js"
import { acquirePgPool, pgClientOn, type PoolOptions } from "../Postgres/PgPool.js"
import { ChangeFeed, layerChangeFeed } from "./ChangeFeed.js"

export interface DatabaseOptions extends PoolOptions {
  /** Where the change feed listens; default `url`. Behind a transaction pooler, PostgreSQL itself. */
  readonly listenUrl?: Redacted.Redacted<string> | undefined
}

/**
 * A database as the service uses it: `PgClient` and `SqlClient` over its pool, `DirectReads` on
 * the same pool, its `ChangeFeed`, and its `DatabaseLoad` (the pool's queue, and whether
 * PostgreSQL answers the feed's readings).
 */
export const layerPgClient = (options: DatabaseOptions) =>
  Layer.unwrapScoped(Effect.map(acquirePgPool(options), (pool) => {
    const feed = layerChangeFeed({ listenUrl: options.listenUrl ?? options.url, readUrl: options.url })
    const load = Layer.effect(
      DatabaseLoad,
      Effect.map(ChangeFeed, (changes) => ({
        answering: changes.answering,
        waiting: () => pool.waitingCount,
        maxWaiting: options.poolSize * waitingPerConnection,
        patienceMs: Duration.toMillis(options.statementTimeout)
      }))
    )
    const direct = Layer.succeed(DirectReads, directReadsOn(pool))
    return Layer.mergeAll(pgClientOn(pool), direct, Layer.provideMerge(load, feed))
  }))
