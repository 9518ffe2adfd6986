import { HttpApi, OpenApi } from "@effect/platform"
import { ApplicationsApi } from "./Applications/Api.js"
import { ConfigurationsApi } from "./Configurations/Api.js"
import {
  DatabaseUnavailable,
  InternalError,
  MalformedJson,
  PayloadTooLarge,
  RouteNotFound,
  UnstorableText,
  UnsupportedMediaType
} from "./Domain/Errors.js"
import { HealthApi } from "./Health/Api.js"

export class Api extends HttpApi.make("config-service")
  .add(ApplicationsApi.prefix("/api/v1"))
  .add(ConfigurationsApi.prefix("/api/v1"))
  .add(HealthApi)
  .addError(MalformedJson)
  .addError(PayloadTooLarge)
  .addError(UnsupportedMediaType)
  .addError(RouteNotFound)
  .addError(UnstorableText)
  .addError(DatabaseUnavailable)
  .addError(InternalError)
  .annotateContext(
    OpenApi.annotations({
      title: "Config Service",
      version: "1.0.0",
      description: "Applications and their named JSON configurations, stored in PostgreSQL."
    })
  )
{}
