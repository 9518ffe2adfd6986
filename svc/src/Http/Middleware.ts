import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { HttpApiDecodeError } from "@effect/platform/HttpApiError"
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import type { IncomingMessage } from "node:http"
import { Api } from "../Api.js"
import {
  InternalError,
  MalformedJson,
  PayloadTooLarge,
  RouteNotFound,
  UnsupportedMediaType
} from "../Domain/Errors.js"
import { maxJsonDepth, nestedDeeperThan } from "../Domain/Json.js"
import { type ApiKey, isProtected, makeAuthorizer } from "./Auth.js"
import { readableDecodeError } from "./DecodeError.js"
import { nosniff, setResponseHeader } from "./ResponseHeaders.js"

const withBody = new Set(["POST", "PUT", "PATCH"])

const tooLarge = (limit: number) =>
  new PayloadTooLarge({ message: `request body is larger than the limit of ${limit} bytes`, limit })

/** Past the limit the rest of a body is read and dropped (so the client sees the 413), up to this many limits. */
const drainFactor = 16

const utf8 = new TextDecoder("utf-8", { fatal: true })

/** A body's own fields and a configuration's `maxJsonDepth` levels under `config`. */
const maxBodyDepth = maxJsonDepth + 1

/** Reads the whole body, or fails with 413 once it passes `limit` bytes without keeping the excess. */
const readBody = (source: IncomingMessage, limit: number) =>
  Effect.async<string, PayloadTooLarge | MalformedJson>((resume) => {
    const chunks: Array<Buffer> = []
    let size = 0
    source.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
      else if (size > limit * drainFactor) source.destroy()
    })
    source.once("end", () => {
      if (size > limit) return resume(Effect.fail(tooLarge(limit)))
      try {
        resume(Effect.succeed(utf8.decode(Buffer.concat(chunks))))
      } catch {
        resume(Effect.fail(new MalformedJson({ message: "request body is not valid UTF-8" })))
      }
    })
    source.once("error", () => resume(Effect.fail(size > limit ? tooLarge(limit) : new MalformedJson({ message: "could not read the request body" }))))
  })

/**
 * Reads and parses the body once, before the API sees it: over `limit` → 413 (refused unread
 * when `content-length` says so), not `application/json` → 415, malformed JSON → 400. The
 * API then decodes the already-parsed value, which this leaves on the request.
 */
const parseBody = (request: HttpServerRequest.HttpServerRequest, limit: number) =>
  Effect.gen(function*() {
    if (!withBody.has(request.method)) return
    const length = request.headers["content-length"]
    if (length !== undefined && Number(length) > limit) {
      yield* setResponseHeader("connection", "close")
      return yield* tooLarge(limit)
    }
    const contentType = request.headers["content-type"]
    if (contentType !== undefined && contentType.split(";")[0]!.trim().toLowerCase() !== "application/json") {
      return yield* new UnsupportedMediaType({ message: `expected application/json, got ${contentType}` })
    }
    const text = yield* readBody(NodeHttpServerRequest.toIncomingMessage(request), limit).pipe(
      Effect.tapErrorTag("PayloadTooLarge", () => setResponseHeader("connection", "close"))
    )
    let json: unknown = null
    try {
      if (text !== "") json = JSON.parse(text)
    } catch (error) {
      return yield* new MalformedJson({ message: `request body is not valid JSON: ${(error as Error).message}` })
    }
    if (nestedDeeperThan(json, maxBodyDepth)) {
      return yield* new MalformedJson({ message: `request body is nested deeper than ${maxBodyDepth} levels` })
    }
    // Own properties in front of the request's body getters: the API reads these, nothing is read twice.
    Object.defineProperties(request, {
      text: { value: Effect.succeed(text) },
      json: { value: Effect.succeed(json) }
    })
  })

export interface MiddlewareOptions {
  readonly bodyLimit: number
  /** With keys, `/api/v1` requests need `Authorization: Bearer <key>`; empty → open. */
  readonly apiKeys: ReadonlyArray<ApiKey>
  /** Whether requests are logged (`LOG_LEVEL` at info or below): decided once, not per request. */
  readonly logRequests: boolean
  /** Request log fields as annotations (for JSON logs) rather than in the message. */
  readonly structuredLogs: boolean
}

/** The request log line: in the message, or as annotations for JSON logs. */
export const requestLog = (structuredLogs: boolean) =>
(method: string, url: string, status: number, durationMs: number): Effect.Effect<void> => {
  const duration_ms = Math.round(durationMs * 10) / 10
  return structuredLogs
    ? Effect.logInfo("request").pipe(Effect.annotateLogs({ method, path: url, status, duration_ms }))
    : Effect.logInfo(`${method} ${url} ${status} ${duration_ms}ms`)
}

/** Whether requests are logged at `logLevel`: at info or below. */
export const logsRequests = (logLevel: LogLevel.LogLevel) => LogLevel.lessThanEqual(logLevel, LogLevel.Info)

const finishResponse = (started: number, log: ReturnType<typeof requestLog> | undefined) =>
  HttpApp.appendPreResponseHandler((request, response) => {
    const finished = HttpServerResponse.setHeaders(
      response,
      response.status === 503 ? { ...nosniff, "retry-after": "1" } : nosniff
    )
    if (log === undefined) return Effect.succeed(finished)
    return Effect.as(log(request.method, request.url, response.status, performance.now() - started), finished)
  })

const routeNotFound = (method: string, url: string) =>
  new RouteNotFound({ message: `no route for ${method} ${url.split("?")[0]}` })

/**
 * Unknown routes become `RouteNotFound`, schema failures a `HttpApiDecodeError` with a readable
 * message, defects a logged `InternalError`; other API errors pass through.
 */
const handleCause = (
  cause: Cause.Cause<unknown>
): Effect.Effect<never, RouteNotFound | HttpApiDecodeError | InternalError> => {
  const failure: Option.Option<unknown> = Cause.failureOption(cause)
  if (Cause.isInterruptedOnly(cause) || Option.isSome(failure)) {
    const error = Option.getOrUndefined(failure)
    if (error instanceof HttpApiDecodeError) return Effect.fail(readableDecodeError(error))
    return HttpServerError.isServerError(error) && error._tag === "RouteNotFound"
      ? Effect.fail(routeNotFound(error.request.method, error.request.url))
      : Effect.failCause(cause as Cause.Cause<never>)
  }
  return Effect.zipRight(Effect.logError("request failed", cause), Effect.fail(InternalError.instance))
}

/**
 * The service's HTTP middleware: API keys (checked before anything is read), body limit and
 * JSON checks, JSON errors for unknown routes and unexpected failures (logged with their
 * cause, never shown to the client), `Retry-After` on 503, `nosniff` on every response, and
 * one log line per request.
 */
export const layerServiceMiddleware = (options: MiddlewareOptions) => {
  const authorize = options.apiKeys.length > 0 ? makeAuthorizer(options.apiKeys) : undefined
  const log = options.logRequests ? requestLog(options.structuredLogs) : undefined
  return HttpApiBuilder.middleware(Api, (app) =>
    Effect.gen(function*() {
      yield* finishResponse(performance.now(), log)
      const incoming = yield* HttpServerRequest.HttpServerRequest
      if (authorize && isProtected(incoming.url)) yield* authorize(incoming.method, incoming.headers.authorization)
      // The router would cut the path at `;` and serve what comes before it.
      if (incoming.url.split("?")[0]!.includes(";")) return yield* routeNotFound(incoming.method, incoming.url)
      yield* parseBody(incoming, options.bodyLimit)
      return yield* app
    }).pipe(Effect.catchAllCause(handleCause)))
}
