import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApiSwagger from "@effect/platform/HttpApiSwagger"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { Api } from "./Api.js"
import { ApplicationsHttpLive } from "./Applications/Http.js"
import { ApplicationsRepo } from "./Applications/Repo.js"
import { ConfigurationsHttpLive } from "./Configurations/Http.js"
import { ConfigurationsRepo } from "./Configurations/Repo.js"
import { DatabaseDeadline } from "./Database/Deadline.js"
import { HealthHttpLive } from "./Health/Http.js"
import { layerServiceMiddleware, logsRequests } from "./Http/Middleware.js"
import { Settings } from "./Settings.js"

const DeadlineLive = Layer.effect(DatabaseDeadline, Effect.map(Settings, (settings) => settings.databaseRequestTimeout))

/**
 * The API's handlers over their repositories and read cache; needs `Settings`, a `SqlClient`,
 * its `ChangeFeed` and the `Migrator`.
 */
export const ApiLive = HttpApiBuilder.api(Api).pipe(
  Layer.provide([ApplicationsHttpLive, ConfigurationsHttpLive, HealthHttpLive]),
  Layer.provide([ApplicationsRepo.Default, ConfigurationsRepo.Default]),
  Layer.provide(DeadlineLive)
)

/**
 * The whole HTTP service — API, `/api/v1/openapi.json`, `/docs` and middleware — served on
 * whichever `HttpServer` is provided (a real port, or `NodeHttpServer.layerTest`).
 */
const MiddlewareLive = Layer.unwrapEffect(Effect.map(Settings, (settings) =>
  Layer.mergeAll(
    layerServiceMiddleware({
      bodyLimit: settings.bodyLimit,
      apiKeys: settings.apiKeys,
      logRequests: logsRequests(settings.logLevel),
      structuredLogs: settings.logFormat === "json"
    }),
    settings.corsOrigins.length > 0
      ? HttpApiBuilder.middlewareCors({ allowedOrigins: settings.corsOrigins, exposedHeaders: ["etag", "location", "link"] })
      : Layer.empty
  )))

export const docsPath = "/docs"
export const openApiPath = "/api/v1/openapi.json"

export const HttpAppLive = HttpApiBuilder.serve().pipe(
  Layer.provide(MiddlewareLive),
  Layer.provide(HttpApiSwagger.layer({ path: docsPath })),
  Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: openApiPath })),
  Layer.provide(ApiLive)
)
