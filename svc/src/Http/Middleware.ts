import {
  HttpApiBuilder,
  HttpApp,
  HttpIncomingMessage,
  HttpServerError,
  HttpServerRequest,
  HttpServerResponse
} from "@effect/platform"
import { Cause, Effect, Option } from "effect"
import { Api } from "../Api.js"
import {
  InternalError,
  MalformedJson,
  PayloadTooLarge,
  RouteNotFound,
  UnsupportedMediaType
} from "../Domain/Errors.js"

const withBody = new Set(["POST", "PUT", "PATCH"])

const tooLarge = (limit: number) =>
  new PayloadTooLarge({ message: `request body is larger than the limit of ${limit} bytes`, limit })

const isJsonContentType = (contentType: string) => {
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase()
  return mediaType === "application/json" || mediaType.endsWith("+json")
}

/**
 * Reads and checks the body before the API decodes it: an over-long body is a 413 (refused
 * unread when `content-length` says so), a non-JSON one a 415, malformed JSON a 400.
 */
const checkBody = (request: HttpServerRequest.HttpServerRequest, limit: number) =>
  Effect.gen(function*() {
    if (!withBody.has(request.method)) return
    const length = request.headers["content-length"]
    if (length !== undefined && Number(length) > limit) return yield* tooLarge(limit)
    const contentType = request.headers["content-type"]
    if (contentType !== undefined && !isJsonContentType(contentType)) {
      return yield* new UnsupportedMediaType({ message: `expected application/json, got ${contentType}` })
    }
    const text = yield* request.text.pipe(
      Effect.mapError((error) =>
        String(error.cause).includes("maxBytes")
          ? tooLarge(limit)
          : new MalformedJson({ message: "could not read the request body" })
      )
    )
    try {
      JSON.parse(text)
    } catch (error) {
      return yield* new MalformedJson({ message: `request body is not valid JSON: ${(error as Error).message}` })
    }
  })

export interface MiddlewareOptions {
  readonly bodyLimit: number
  /** Request log fields as annotations (for JSON logs) rather than in the message. */
  readonly structuredLogs: boolean
}

const finishResponse = (started: number, options: MiddlewareOptions) =>
  HttpApp.appendPreResponseHandler((request, response) => {
    const headers: Record<string, string> = { "x-content-type-options": "nosniff" }
    if (response.status === 503) headers["retry-after"] = "1"
    const durationMs = Math.round((performance.now() - started) * 10) / 10
    const log = options.structuredLogs
      ? Effect.logInfo("request").pipe(
        Effect.annotateLogs({ method: request.method, path: request.url, status: response.status, duration_ms: durationMs })
      )
      : Effect.logInfo(`${request.method} ${request.url} ${response.status} ${durationMs}ms`)
    return Effect.as(log, HttpServerResponse.setHeaders(response, headers))
  })

/** Unknown routes become `RouteNotFound`, defects a logged `InternalError`; API errors pass through. */
const handleCause = (cause: Cause.Cause<unknown>): Effect.Effect<never, RouteNotFound | InternalError> => {
  const failure: Option.Option<unknown> = Cause.failureOption(cause)
  if (Cause.isInterruptedOnly(cause) || Option.isSome(failure)) {
    const error = Option.getOrUndefined(failure)
    return HttpServerError.isServerError(error) && error._tag === "RouteNotFound"
      ? Effect.fail(
        new RouteNotFound({ message: `no route for ${error.request.method} ${error.request.url.split("?")[0]}` })
      )
      : Effect.failCause(cause as Cause.Cause<never>)
  }
  return Effect.zipRight(Effect.logError("request failed", cause), Effect.fail(InternalError.instance))
}

/**
 * The service's HTTP middleware: body limit and JSON checks, JSON errors for unknown routes
 * and unexpected failures (logged with their cause, never shown to the client),
 * `Retry-After` on 503, `nosniff` on every response, and one log line per request.
 */
export const layerServiceMiddleware = (options: MiddlewareOptions) =>
  HttpApiBuilder.middleware(Api, (app) =>
    Effect.gen(function*() {
      yield* finishResponse(performance.now(), options)
      yield* checkBody(yield* HttpServerRequest.HttpServerRequest, options.bodyLimit)
      return yield* app
    }).pipe(
      Effect.catchAllCause(handleCause),
      HttpIncomingMessage.withMaxBodySize(Option.some(options.bodyLimit))
    ))
