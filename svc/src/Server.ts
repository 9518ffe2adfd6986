import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Runtime from "effect/Runtime"
import http from "node:http"
import { DatabaseLive } from "./Database/Database.js"
import { ReadCache } from "./Database/ReadCache.js"
import { docsPath, HttpAppLive, openApiPath } from "./Http.js"
import { makeKeyring } from "./Http/Auth.js"
import { answerCachedRead } from "./Http/CachedReads.js"
import { logsRequests, requestLog } from "./Http/Middleware.js"
import { browserBase, checkListen, PortUnavailable } from "./Listen.js"
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

/** Responses not yet finished, per server, so a drain can tell them to close their connections. */
const unfinished = new WeakMap<http.Server, Set<http.ServerResponse>>()

/** A request the server answers itself, before the Effect runtime sees it; true when it did. */
export type AnswerFirst = (request: http.IncomingMessage, response: http.ServerResponse) => boolean

/** `http.Server` with an optional `answerFirst` in front of its `request` listeners, while it is listening. */
class ServiceHttpServer extends http.Server {
  answerFirst: AnswerFirst | undefined
  override emit(event: string | symbol, ...args: Array<any>): boolean {
    if (event === "request" && this.answerFirst !== undefined && this.listening) {
      const response = args[1] as http.ServerResponse
      try {
        if (this.answerFirst(args[0], response)) return true
      } catch {
        // Unanswered, the request goes on to the API; answered, it stays answered.
        if (response.headersSent) return true
      }
    }
    return super.emit(event as string, ...args)
  }
}

/** The Node.js HTTP server the service listens with, tracking its unfinished responses. */
export class NodeServer extends Context.Tag("Server/NodeServer")<NodeServer, ServiceHttpServer>() {
  static readonly Live = Layer.sync(NodeServer, () => {
    const server = new ServiceHttpServer()
    const responses = new Set<http.ServerResponse>()
    unfinished.set(server, responses)
    server.on("request", (_request, response: http.ServerResponse) => {
      responses.add(response)
      response.once("close", () => responses.delete(response))
    })
    return server
  })
}

/**
 * Cached single-resource reads answered on the server itself (see `answerCachedRead`), with
 * the API's key check and log line. Not installed with `CORS_ORIGINS`: the CORS middleware
 * adds its headers to every response, so every response goes through it.
 */
export const CachedReadsLive = Layer.scopedDiscard(
  Effect.gen(function*() {
    const server = yield* NodeServer
    const cache = yield* ReadCache
    const settings = yield* Settings
    if (settings.corsOrigins.length > 0) return
    const runtime = yield* Effect.runtime<never>()
    const keyring = makeKeyring(settings.apiKeys)
    const log = requestLog(settings.logFormat === "json")
    const answer = answerCachedRead({
      peek: cache.peek,
      mayRead: settings.apiKeys.length === 0 ? () => true : (authorization) => keyring(authorization) !== undefined,
      log: logsRequests(settings.logLevel)
        ? (method, url, status, durationMs) => Runtime.runFork(runtime, log(method, url, status, durationMs))
        : undefined
    })
    yield* Effect.acquireRelease(
      Effect.sync(() => (server.answerFirst = answer)),
      () => Effect.sync(() => (server.answerFirst = undefined))
    )
  })
).pipe(Layer.provide(ReadCache.Default))

/** The service's HTTP app and its cached-read shortcut, for whichever server `NodeServer` listens on. */
export const ServiceHttpLive = Layer.merge(HttpAppLive, CachedReadsLive)

const HttpServerLive = Layer.unwrapEffect(
  Effect.gen(function*() {
    const { host, port } = yield* Settings
    const server = yield* NodeServer
    return NodeHttpServer.layer(() => server, { port, host }).pipe(
      Layer.catchAll((error) => Layer.fail(PortUnavailable.of(error.cause, host, port)))
    )
  })
)

/** Fails with `PortUnavailable` when PORT cannot be listened on, before the database is started. */
export const PortCheck = Layer.effectDiscard(Effect.flatMap(Settings, ({ host, port }) => checkListen(host, port)))

/** Once listening: the address, and where a browser finds the docs and the OpenAPI document (the port really bound). */
const LogAddress = Layer.effectDiscard(
  HttpServer.addressWith((address) => {
    const base = browserBase(address)
    return Effect.logInfo(
      `Listening on ${HttpServer.formatAddress(address)}; docs at ${base}${docsPath}, OpenAPI at ${base}${openApiPath}`
    )
  })
)

/**
 * Stops accepting connections and lets the requests already received finish: their
 * responses (and those of requests that still arrive on open connections) say
 * `Connection: close`, idle connections are closed now, busy ones as their response ends.
 * Only then does shutdown go on to close the pool and the database. Connections still busy
 * after `SHUTDOWN_GRACE_PERIOD` are cut.
 */
export const drain = (server: http.Server, gracePeriod: Duration.Duration) =>
  Effect.async<void>((resume) => {
    const closeWhenDone = (_request: http.IncomingMessage, response: http.ServerResponse) => {
      response.shouldKeepAlive = false
    }
    for (const response of unfinished.get(server) ?? []) response.shouldKeepAlive = false
    server.prependListener("request", closeWhenDone)
    const deadline = setTimeout(() => server.closeAllConnections(), Duration.toMillis(gracePeriod))
    server.close(() => {
      clearTimeout(deadline)
      server.off("request", closeWhenDone)
      resume(Effect.void)
    })
    server.closeIdleConnections()
  })

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
  Layer.provide(LogAddress.pipe(Layer.provideMerge(ServiceHttpLive), Layer.provide(HttpServerLive))),
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
