import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { Settings } from "../Settings.js"
import { startEmbeddedPostgres } from "../Postgres/EmbeddedPostgres.js"
import { layerPgClient } from "../ChangeFeed/Database.js"

/**
 * The service's `SqlClient` and `ChangeFeed`: `DATABASE_URL` (and `DATABASE_LISTEN_URL` for
 * the feed) when set; otherwise an embedded PostgreSQL 16 on `EMBEDDED_PG_DIR`, started with
 * the layer and stopped after the pool closes.
 */
export const DatabaseLive = Layer.unwrapScoped(
  Effect.gen(function*() {
    const settings = yield* Settings
    const url = yield* Option.match(settings.databaseUrl, {
      onSome: Effect.succeed,
      onNone: () => Effect.map(startEmbeddedPostgres(settings.embeddedPgDir), (running) => running.url)
    })
    return layerPgClient({
      url,
      listenUrl: Option.getOrUndefined(settings.databaseListenUrl),
      poolSize: settings.databasePoolSize,
      connectTimeout: settings.databaseConnectTimeout,
      statementTimeout: settings.databaseStatementTimeout
    })
  })
)
