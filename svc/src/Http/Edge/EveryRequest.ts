import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { HttpApiDecodeError } from "@effect/platform/HttpApiError"
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { Api } from "../Api.js"
import { InternalError, MethodNotAllowed, RouteNotFound } from "./Errors.js"
import { Settings } from "../../Settings.js"
import { makeAuthorize } from "./Authentication.js"
import { readableDecodeError } from "./DecodeError.js"
import { arrivalOf, logsRequests, requestLog } from "./RequestLog.js"
import { allowedMethods, apiPrefix, routesOf } from "./Routes.js"
import { finishingHeaders, setResponseHeader } from "./ResponseHeaders.js"

const finishResponse = (started: number, log: ReturnType<typeof requestLog> | undefined) =>
  HttpApp.appendPreResponseHandler((request, response) => {
    const finished = HttpServerResponse.setHeaders(response, finishingHeaders(response.status))
    if (log === undefined) return Effect.succeed(finished)
    return Effect.as(log(request.method, request.url, response.status, performance.now() - started), finished)
  })

const pathOf = (url: string) => url.split("?")[0]!

const isRouteNotFound = (error: unknown) => HttpServerError.isServerError(error) && error._tag === "RouteNotFound"

/**
 * Defects become a logged `InternalError` (the cause is never shown), schema failures a
 * readable 400, a request no route matched what `unrouted` says.
 */
const handleCause = <E>(
  cause: Cause.Cause<unknown>,
  unrouted: () => Effect.Effect<never, E>
): Effect.Effect<never, E | InternalError | HttpApiDecodeError> => {
  const failure: Option.Option<unknown> = Cause.failureOption(cause)
  if (!Cause.isInterruptedOnly(cause) && Option.isNone(failure)) {
    return Effect.zipRight(Effect.logError("request failed", cause), Effect.fail(InternalError.instance))
  }
  const error = Option.getOrUndefined(failure)
  if (error instanceof HttpApiDecodeError) return Effect.fail(readableDecodeError(error))
  return isRouteNotFound(error) ? unrouted() : Effect.failCause(cause as Cause.Cause<never>)
}

/**
 * What happens to every request, matched or not: one log line, the finishing headers, JSON
 * errors for what no handler answers, and defects logged but never shown. A request no route
 * matches is 405 with `Allow` when its path is known, else 404 — under `/api/v1` only once
 * the request passed the API-key check the routes themselves declare (`Authentication`), so
 * the key cannot be probed for which routes exist.
 */
export const EveryRequestLive = Layer.unwrapEffect(Effect.map(Settings, (settings) => {
  const authorize = makeAuthorize(settings.apiKeys)
  const log = logsRequests(settings.logLevel) ? requestLog(settings.logFormat === "json") : undefined
  const allowed = allowedMethods(routesOf(Api))

  const unrouted = (request: HttpServerRequest.HttpServerRequest) =>
    Effect.gen(function*() {
      const path = pathOf(request.url)
      if (path.startsWith(`${apiPrefix}/`)) yield* authorize(request.method, request.headers.authorization)
      // A known path whose parameter the router refused (too long, malformed encoding) is a 404 too.
      const allow = path.includes(";") ? [] : allowed(path)
      if (allow.length === 0 || allow.includes(request.method)) {
        return yield* new RouteNotFound({ message: `no route for ${request.method} ${path}` })
      }
      yield* setResponseHeader("allow", allow.join(", "))
      return yield* new MethodNotAllowed({ message: `${path} answers ${allow.join(", ")}, not ${request.method}`, allow })
    })

  return HttpApiBuilder.middleware(Api, (app) =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      yield* finishResponse(arrivalOf(NodeHttpServerRequest.toIncomingMessage(request)), log)
      // The router would cut the path at `;` and serve what comes before it.
      if (pathOf(request.url).includes(";")) return yield* unrouted(request)
      return yield* app
    }).pipe(Effect.catchAllCause((cause) =>
      Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => handleCause(cause, () => unrouted(request)))
    )))
}))
