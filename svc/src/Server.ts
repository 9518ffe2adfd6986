import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { createServer } from "node:http"
import { DatabaseLive } from "./Database/Database.js"
import { HttpAppLive } from "./Http.js"
import { LoggerLive } from "./Logging.js"
import { MigrationError, Migrator } from "./Migrations/Migrator.js"
import { ConfigLive, Settings } from "./Settings.js"
import { reportFailure } from "./Startup.js"

/** Applies pending migrations, or with `MIGRATE_ON_START=false` refuses to start while any are pending. */
export const StartupMigrations = Layer.effectDiscard(
  Effect.gen(function*() {
    const settings = yield* Settings
    const migrator = yield* Migrator
    if (settings.migrateOnStart) {
      yield* migrator.up
      return
    }
    const behind = (yield* migrator.status).filter((s) => s.state !== "applied")
    if (behind.length > 0) {
      return yield* new MigrationError({
        message: `the database schema is behind (${behind.map((s) => `${s.version}_${s.name}: ${s.state}`).join(", ")}) ` +
          `and MIGRATE_ON_START=false; run \`make -C svc migrate\` first`
      })
    }
  })
)

const NodeServerLive = Layer.unwrapEffect(
  Effect.map(Settings, (settings) => NodeHttpServer.layer(createServer, { port: settings.port, host: settings.host }))
)

/** The service as it runs in production, given its `Settings`: HTTP on `PORT` over a migrated database. */
export const ServerLive = HttpAppLive.pipe(
  HttpServer.withLogAddress,
  Layer.provide(NodeServerLive),
  Layer.provide(StartupMigrations),
  Layer.provideMerge(Migrator.Default),
  Layer.provide(DatabaseLive)
)

/**
 * Runs the service until interrupted (SIGTERM/SIGINT under `NodeRuntime.runMain`): settings
 * from the environment and `svc/.env`, logs as `LOG_FORMAT` says, and one readable line
 * (no stack trace) when it cannot start.
 */
export const runServer = ServerLive.pipe(
  Layer.launch,
  Effect.provide(LoggerLive),
  Effect.provide(Settings.Live),
  reportFailure,
  Effect.provide(ConfigLive)
)
