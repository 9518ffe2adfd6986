import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
import * as HttpApiSecurity from "@effect/platform/HttpApiSecurity"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { Forbidden, Unauthorized } from "./Errors.js"
import { Settings } from "../../Settings.js"
import { type ApiKey, makeAccess } from "../../Domain/ApiKeys.js"
import { bearerChallenge, setResponseHeader } from "./ResponseHeaders.js"

/** Who makes the request: the name of the API key it carries, or null while the API is open. */
export class RequestActor extends Context.Tag("Http/Edge/RequestActor")<RequestActor, { readonly name: string | null }>() {}

/**
 * `makeAccess` as the API answers it: 401 with `WWW-Authenticate` for a missing or unknown key,
 * 403 for a read key on a write; else the request's `RequestActor`. Keys are never logged or echoed.
 */
export const makeAuthorize = (apiKeys: ReadonlyArray<ApiKey>) => {
  const access = makeAccess(apiKeys)
  const challenge = setResponseHeader("www-authenticate", bearerChallenge)
  return (method: string, authorization: string | undefined): Effect.Effect<RequestActor["Type"], Unauthorized | Forbidden> => {
    const granted = access(method, authorization)
    switch (granted._tag) {
      case "Granted":
        return Effect.succeed({ name: granted.actor })
      case "Forbidden":
        return Effect.fail(Forbidden.instance)
      case "Unauthorized":
        return Effect.zipRight(challenge, Effect.fail(Unauthorized.instance))
    }
  }
}

/**
 * The API's bearer authentication: declared once, on every `/api/v1` operation, for the
 * OpenAPI document and for the check itself. It reads the `Authorization` header as
 * `makeKeyring` does (case-insensitive scheme, surrounding spaces allowed).
 */
export class Authentication extends HttpApiMiddleware.Tag<Authentication>()("Http/Edge/Authentication", {
  failure: Schema.Union(Unauthorized, Forbidden),
  provides: RequestActor,
  security: {
    bearer: HttpApiSecurity.bearer.pipe(
      HttpApiSecurity.annotate(
        OpenApi.Description,
        "An API key from the service's API_KEYS: a read key for GET, a write key for everything"
      )
    )
  }
}) {}

export const AuthenticationLive = Layer.effect(
  Authentication,
  Effect.map(Settings, (settings) => {
    const authorize = makeAuthorize(settings.apiKeys)
    return {
      bearer: () =>
        Effect.flatMap(
          HttpServerRequest.HttpServerRequest,
          (request) => authorize(request.method, request.headers.authorization)
        )
    }
  })
)
