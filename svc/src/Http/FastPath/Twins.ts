import type * as Context from "effect/Context"
import * as Either from "effect/Either"
import type http from "node:http"
import { makeAccess } from "../../Domain/ApiKeys.js"
import type { SettingsShape } from "../../Settings.js"
import { Authentication } from "../Edge/Authentication.js"
import { isJsonBody, jsonBody, methodsWithBody, RequestCheck } from "../Edge/RequestCheck.js"

/** A middleware of the API as the fast path applies it, from the same rules. */
export interface Twin {
  /** Under the settings: whether the middleware lets a request through untouched (the API answers every other one). */
  readonly passes: (settings: SettingsShape) => (request: http.IncomingMessage) => boolean
  /** How the middleware reads a body, for a middleware that does: its JSON, or left when the API refuses it. */
  readonly readsBody?: (body: Buffer) => Either.Either<unknown, unknown>
}

/** The twin of each middleware, by its tag. */
export type Twins = ReadonlyMap<Context.Tag<any, any>, Twin>

/** `Authentication`: a key `makeAccess` grants (the request's actor is not needed: the fast path writes nothing). */
const authentication: Twin = {
  passes: (settings) => {
    const access = makeAccess(settings.apiKeys)
    return (request) => access(request.method!, request.headers.authorization)._tag === "Granted"
  }
}

/**
 * `RequestCheck`: no query string at all, and a body within `BODY_LIMIT` by `content-length`, of
 * JSON; the body read with `jsonBody`.
 */
const requestCheck: Twin = {
  passes: (settings) => (request) => {
    if (request.url!.includes("?")) return false
    if (!methodsWithBody.has(request.method!)) return true
    const length = request.headers["content-length"]
    return length !== undefined && Number(length) <= settings.bodyLimit && isJsonBody(request.headers["content-type"])
  },
  readsBody: (body) => Either.map(jsonBody(body), ({ json }) => json)
}

/** The twin of every middleware the API declares; the fast path refuses to install without one. */
export const twins: Twins = new Map<Context.Tag<any, any>, Twin>([
  [Authentication, authentication],
  [RequestCheck, requestCheck]
])
