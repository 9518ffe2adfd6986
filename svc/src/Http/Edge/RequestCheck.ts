import { HttpApiDecodeError } from "@effect/platform/HttpApiError"
import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { IncomingMessage } from "node:http"
import { MalformedJson, PayloadTooLarge, UnsupportedMediaType } from "./Errors.js"
import { maxJsonDepth, nestedDeeperThan } from "../../Domain/Json.js"
import { setResponseHeader } from "./ResponseHeaders.js"
import type { Route } from "./Routes.js"

/** The methods whose body `RequestCheck` reads. */
export const methodsWithBody: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH"])

const tooLarge = (limit: number) =>
  new PayloadTooLarge({ message: `request body is larger than the limit of ${limit} bytes`, limit })

/** Past the limit the rest of a body is read and dropped (so the client sees the 413), up to this many limits. */
const drainFactor = 16

const utf8 = new TextDecoder("utf-8", { fatal: true })

/** A body's own fields and a configuration's `maxJsonDepth` levels under `config`. */
const maxBodyDepth = maxJsonDepth + 1

/** Whether a body of this `content-type` is taken as JSON (an absent one is). */
export const isJsonBody = (contentType: string | undefined) =>
  contentType === undefined || contentType.split(";")[0]!.trim().toLowerCase() === "application/json"

/** Reads the whole body, or fails with 413 once it passes `limit` bytes without keeping the excess. */
const readBody = (source: IncomingMessage, limit: number) =>
  Effect.async<Buffer, PayloadTooLarge | MalformedJson>((resume) => {
    const chunks: Array<Buffer> = []
    let size = 0
    source.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
      else if (size > limit * drainFactor) source.destroy()
    })
    source.once("end", () => resume(size > limit ? Effect.fail(tooLarge(limit)) : Effect.succeed(Buffer.concat(chunks))))
    source.once("error", () => resume(Effect.fail(size > limit ? tooLarge(limit) : new MalformedJson({ message: "could not read the request body" }))))
  })

/** A body's bytes as the API takes them: UTF-8 text and its JSON (null when empty), or why they are not. */
export const jsonBody = (bytes: Buffer): Either.Either<{ readonly text: string; readonly json: unknown }, MalformedJson> => {
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    return Either.left(new MalformedJson({ message: "request body is not valid UTF-8" }))
  }
  let json: unknown = null
  try {
    if (text !== "") json = JSON.parse(text)
  } catch (error) {
    return Either.left(new MalformedJson({ message: `request body is not valid JSON: ${(error as Error).message}` }))
  }
  if (nestedDeeperThan(json, maxBodyDepth)) {
    return Either.left(new MalformedJson({ message: `request body is nested deeper than ${maxBodyDepth} levels` }))
  }
  return Either.right({ text, json })
}

/**
 * Reads and parses the body once, before the API sees it: over `limit` → 413 (refused unread
 * when `content-length` says so), not `application/json` → 415, malformed JSON → 400. The
 * API then decodes the already-parsed value, which this leaves on the request.
 */
const parseBody = (request: HttpServerRequest.HttpServerRequest, limit: number) =>
  Effect.gen(function*() {
    if (!methodsWithBody.has(request.method)) return
    const length = request.headers["content-length"]
    if (length !== undefined && Number(length) > limit) {
      yield* setResponseHeader("connection", "close")
      return yield* tooLarge(limit)
    }
    const contentType = request.headers["content-type"]
    if (!isJsonBody(contentType)) {
      return yield* new UnsupportedMediaType({ message: `expected application/json, got ${contentType}` })
    }
    const bytes = yield* readBody(NodeHttpServerRequest.toIncomingMessage(request), limit).pipe(
      Effect.tapErrorTag("PayloadTooLarge", () => setResponseHeader("connection", "close"))
    )
    const { json, text } = yield* jsonBody(bytes)
    // Own properties in front of the request's body getters: the API reads these, nothing is read twice.
    Object.defineProperties(request, {
      text: { value: Effect.succeed(text) },
      json: { value: Effect.succeed(json) }
    })
  })

/** Refuses query parameters the operation does not declare, naming them, as unknown body fields are. */
const checkQuery = (request: HttpServerRequest.HttpServerRequest, declared: ReadonlySet<string>) => {
  const query = request.url.indexOf("?")
  if (query < 0) return Effect.void
  const unknown = [...new Set(new URLSearchParams(request.url.slice(query + 1)).keys())].filter((name) => !declared.has(name))
  if (unknown.length === 0) return Effect.void
  return Effect.fail(
    new HttpApiDecodeError({
      message: unknown.map((name) => `${name}: unknown query parameter`).join("; "),
      issues: unknown.map((name) => ({ _tag: "Unexpected", path: [name], message: "unknown query parameter" }))
    })
  )
}

/**
 * The checks every request passes before its operation decodes it, after `Authentication` (a
 * client without a valid key learns nothing about them): no query parameter the operation
 * does not declare, and a body within `BODY_LIMIT`, of JSON (see `parseBody`).
 */
export class RequestCheck extends HttpApiMiddleware.Tag<RequestCheck>()("Http/Edge/RequestCheck", {
  failure: Schema.Union(HttpApiDecodeError, PayloadTooLarge, UnsupportedMediaType, MalformedJson)
}) {}

/** `RequestCheck` for the operations in `routes`, whose declared query parameters it knows. */
export const makeRequestCheck = (routes: ReadonlyArray<Route>, bodyLimit: number) => {
  const declared = new Map(routes.map((route) => [`${route.method} ${route.path}`, new Set(route.queryNames)]))
  const none = new Set<string>()
  return Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const { route } = yield* HttpRouter.RouteContext
    yield* checkQuery(request, declared.get(`${route.method} ${route.path}`) ?? none)
    yield* parseBody(request, bodyLimit)
  })
}
