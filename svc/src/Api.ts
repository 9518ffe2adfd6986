import * as HttpApi from "@effect/platform/HttpApi"
import * as OpenApi from "@effect/platform/OpenApi"
import { ApplicationsApi } from "./Applications/Api.js"
import { ConfigurationsApi } from "./Configurations/Api.js"
import {
  DatabaseUnavailable,
  Forbidden,
  InternalError,
  MalformedJson,
  PayloadTooLarge,
  RouteNotFound,
  UnstorableText,
  Unauthorized,
  UnsupportedMediaType
} from "./Domain/Errors.js"
import { HealthApi } from "./Health/Api.js"

/** Declares the optional `API_KEYS` bearer authentication on every `/api/v1` operation. */
const declareBearerSecurity = (spec: Record<string, any>) => ({
  ...spec,
  components: {
    ...spec.components,
    securitySchemes: {
      ...spec.components?.securitySchemes,
      bearer: {
        type: "http",
        scheme: "bearer",
        description: "Required on /api/v1 when the service runs with API_KEYS: a read key for GET, a write key for all"
      }
    }
  },
  paths: Object.fromEntries(
    Object.entries(spec.paths as Record<string, Record<string, object>>).map(([path, operations]) => [
      path,
      path.startsWith("/api/v1/")
        ? Object.fromEntries(
          Object.entries(operations).map(([method, operation]) => [method, { ...operation, security: [{ bearer: [] }] }])
        )
        : operations
    ])
  )
})

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
  .addError(Unauthorized)
  .addError(Forbidden)
  .addError(InternalError)
  .annotate(OpenApi.Transform, declareBearerSecurity)
  .annotateContext(
    OpenApi.annotations({
      title: "Config Service",
      version: "1.0.0",
      description: "Applications and their named JSON configurations, stored in PostgreSQL."
    })
  )
{}
