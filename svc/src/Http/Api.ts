import * as HttpApi from "@effect/platform/HttpApi"
import * as OpenApi from "@effect/platform/OpenApi"
import { ApplicationsApi } from "./Applications/Api.js"
import { ConfigurationsApi } from "./Configurations/Api.js"
import { Forbidden, InternalError, MethodNotAllowed, RouteNotFound, Unauthorized } from "./Edge/Errors.js"
import { Authentication } from "./Edge/Authentication.js"
import { RequestCheck } from "./Edge/RequestCheck.js"
import { apiPrefix } from "./Edge/Routes.js"
import { HealthApi } from "./Health/Api.js"
import { HistoryApi } from "./History/Api.js"
import { SchemasApi } from "./Schemas/Api.js"
import { WatchApi } from "./Watch/Api.js"

/**
 * The Config Service's API. Each `/api/v1` operation passes `Authentication` (the optional
 * `API_KEYS` bearer check, which also names the actor of writes), then `RequestCheck` (query
 * names, body), then its handler; the errors added here are those any request can meet
 * around its operation.
 */
export class Api extends HttpApi.make("config-service")
  .add(ApplicationsApi.prefix(apiPrefix).middleware(RequestCheck).middleware(Authentication))
  .add(ConfigurationsApi.prefix(apiPrefix).middleware(RequestCheck).middleware(Authentication))
  .add(HistoryApi.prefix(apiPrefix).middleware(RequestCheck).middleware(Authentication))
  .add(SchemasApi.prefix(apiPrefix).middleware(RequestCheck).middleware(Authentication))
  .add(WatchApi.prefix(apiPrefix).middleware(RequestCheck).middleware(Authentication))
  .add(HealthApi.middleware(RequestCheck))
  .addError(RouteNotFound)
  .addError(MethodNotAllowed)
  .addError(Unauthorized)
  .addError(Forbidden)
  .addError(InternalError)
  .annotateContext(
    OpenApi.annotations({
      title: "Config Service",
      version: "1.0.0",
      description: "Applications and their named JSON configurations, stored in PostgreSQL."
    })
  )
{}
