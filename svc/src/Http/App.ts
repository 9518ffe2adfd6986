import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApiSwagger from "@effect/platform/HttpApiSwagger"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { Api } from "./Api.js"
import { documentedApi } from "./ApiDocument.js"
import { ApplicationsHttpLive } from "./Applications/Handlers.js"
import { ApplicationsRepo } from "../Applications/Repo.js"
import { ConfigurationsHttpLive } from "./Configurations/Handlers.js"
import { ConfigurationsRepo } from "../Configurations/Repo.js"
import { layerChangeWaits } from "../ChangeFeed/ChangeWaits.js"
import { DatabaseDeadline } from "../Postgres/Deadline.js"
import { maxNameLength } from "../Domain/Text.js"
import { AuthenticationLive } from "./Edge/Authentication.js"
import { makeRequestCheck, RequestCheck } from "./Edge/RequestCheck.js"
import { apiPrefix, routesOf } from "./Edge/Routes.js"
import { EveryRequestLive } from "./Edge/EveryRequest.js"
import { HealthHttpLive } from "./Health/Handlers.js"
import { HistoryHttpLive } from "./History/Handlers.js"
import { HistoryRepo } from "../History/Repo.js"
import { KeepVersions } from "../History/Retention.js"
import { SchemasHttpLive } from "./Schemas/Handlers.js"
import { SchemasRepo } from "../Schemas/Repo.js"
import { Settings } from "../Settings.js"
import { WatchHttpLive } from "./Watch/Handlers.js"
import { WatchRepo } from "../Watch/Repo.js"
import { Tails } from "../Watch/Tails.js"

const RequestCheckLive = Layer.effect(
  RequestCheck,
  Effect.map(Settings, (settings) => makeRequestCheck(routesOf(Api), settings.bodyLimit))
)

/** What the repositories and waits take from the settings. */
const StorageSettingsLive = Layer.unwrapEffect(Effect.map(Settings, (settings) =>
  Layer.mergeAll(
    Layer.succeed(DatabaseDeadline, settings.databaseRequestTimeout),
    Layer.succeed(KeepVersions, settings.historyKeepVersions),
    layerChangeWaits(settings.watchMaxStreams)
  )))

/**
 * The API: its handlers over their repositories and read cache, and the middleware its
 * operations declare. Needs `Settings`, a `SqlClient`, its `ChangeFeed` and the `Migrator`.
 */
export const ApiHandlersLive = HttpApiBuilder.api(Api).pipe(
  Layer.provide([ApplicationsHttpLive, ConfigurationsHttpLive, HistoryHttpLive, SchemasHttpLive, WatchHttpLive, HealthHttpLive]),
  Layer.provide([
    ApplicationsRepo.Default,
    ConfigurationsRepo.Default,
    HistoryRepo.Default,
    SchemasRepo.Default,
    WatchRepo.Default,
    Tails.Default
  ]),
  Layer.provide([AuthenticationLive, RequestCheckLive, StorageSettingsLive])
)

/** Every response header the API document names that browsers hide from scripts unless told otherwise. */
const exposedHeaders = ["etag", "location", "link", "retry-after", "www-authenticate", "allow", "x-instance-id"]

const CorsLive = Layer.unwrapEffect(Effect.map(Settings, (settings) =>
  settings.corsOrigins.length > 0
    ? HttpApiBuilder.middlewareCors({ allowedOrigins: settings.corsOrigins, exposedHeaders })
    : Layer.empty))

export const docsPath = "/docs"
export const openApiPath = `${apiPrefix}/openapi.json`

/**
 * The whole HTTP app — the API, `/api/v1/openapi.json`, `/docs`, CORS and what every request
 * gets (`EveryRequest`) — served on whichever `HttpServer` is provided (a port, or
 * `NodeHttpServer.layerTest`).
 */
/**
 * `/docs` and `/api/v1/openapi.json`: the document of `Api` as this service answers under its
 * settings (`ApiDocument.documented`).
 */
const DocumentLive = Layer.unwrapEffect(Effect.map(Settings, (settings) =>
  Layer.mergeAll(HttpApiSwagger.layer({ path: docsPath }), HttpApiBuilder.middlewareOpenApi({ path: openApiPath })).pipe(
    Layer.provide(
      Layer.succeed(HttpApi.Api, {
        api: documentedApi(Api, { secured: settings.apiKeys.length > 0 }) as unknown as HttpApi.Api["Type"]["api"],
        context: Context.empty()
      })
    )
  )))

/**
 * Names in paths (reads by name) take up to 2 × `maxNameLength` = 512 UTF-16 units; the router refuses longer
 * parameters (default 100). Twice that, 1024, leaves room for a name somewhat too long to be refused by its own check.
 */
const RouterConfigLive = HttpRouter.setRouterConfig({ maxParamLength: 4 * maxNameLength })

export const HttpAppLive = HttpApiBuilder.serve().pipe(
  Layer.provide([EveryRequestLive, CorsLive, DocumentLive]),
  Layer.provide(ApiHandlersLive),
  Layer.provide(RouterConfigLive)
)
