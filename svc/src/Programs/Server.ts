import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { DatabaseLive } from "./Database.js"
import { FastPathLive } from "../Http/FastPath/FastPath.js"
import { drain, NodeServer } from "../Http/Edge/NodeServer.js"
import { docsPath, HttpAppLive, openApiPath } from "../Http/App.js"
import { browserBase, checkListen, PortUnavailable } from "./Listen.js"
import { LoggerLive } from "./Logging.js"
import { MigrationError, Migrator } from "../Migrations/Migrator.js"
import { ConfigLive, Settings } from "../Settings.js"
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

/** The service's HTTP app and its fast path, on the `NodeServer` it listens with. */
export const AppWithFastPathLive = Layer.merge(HttpAppLive, FastPathLive)

const ListenLive = Layer.unwrapEffect(
  Effect.gen(function*() {
    const { host, port } = yield* Settings
    const server = yield* NodeServer
    return NodeHttpServer.layer(() => server, { port, host }).pipe(
      Layer.catchAll((error) => Layer.fail(PortUnavailable.of(error.cause, host, port)))
    )
  })
)

/** Fails with `PortUnavailable` when PORT cannot be listened on, before the database is started. */
const PortCheck = Layer.effectDiscard(Effect.flatMap(Settings, ({ host, port }) => checkListen(host, port)))

/** Once listening: the address, and where a browser finds the docs and the OpenAPI document (the port really bound). */
const LogAddress = Layer.effectDiscard(
  HttpServer.addressWith((address) => {
    const base = browserBase(address)
    return Effect.logInfo(
      `Listening on ${HttpServer.formatAddress(address)}; docs at ${base}${docsPath}, OpenAPI at ${base}${openApiPath}`
    )
  })
)

const DrainOnShutdown = Layer.scopedDiscard(
  Effect.gen(function*() {
    const server = yield* NodeServer
    const { shutdownGracePeriod } = yield* Settings
    yield* Effect.addFinalizer(() =>
      server.listening
        ? Effect.logInfo("shutting down: finishing requests in flight").pipe(Effect.zipRight(drain(server, shutdownGracePeriod)))
        : Effect.void
    )
  })
)

/** The service as it runs in production, given its `Settings`: HTTP on `PORT` over a migrated database. */
export const ServerLive = DrainOnShutdown.pipe(
  Layer.provide(LogAddress.pipe(Layer.provideMerge(AppWithFastPathLive), Layer.provide(ListenLive))),
  Layer.provide(StartupMigrations),
  Layer.provideMerge(Migrator.Default),
  Layer.provide(DatabaseLive),
  Layer.provide(NodeServer.Live),
  Layer.provide(PortCheck)
)

/**
 * Runs the service until interrupted (SIGTERM/SIGINT under `NodeRuntime.runMain`): settings
 * from the environment and `svc/.env`, logs as `LOG_FORMAT` says, and one readable line
 * (no stack trace) when it cannot start.
 */
export const runServer = ServerLive.pipe(
  HttpMiddleware.withTracerDisabledWhen(() => true),
  Layer.provide(Layer.setTracerEnabled(false)),
  Layer.launch,
  Effect.provide(LoggerLive),
  Effect.provide(Settings.Live),
  reportFailure,
  Effect.provide(ConfigLive)
)
