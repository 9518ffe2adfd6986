import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"

/** What a 503 tells the client to wait, in seconds. */
export const retryAfter = "1"

/** What a 401 tells the client to authenticate with. */
export const bearerChallenge = `Bearer realm="config-service"`

const nosniff = { "x-content-type-options": "nosniff" } as const
const unavailable = { ...nosniff, "retry-after": retryAfter } as const

/**
 * The headers every response gets, whoever answers it: `nosniff` (browsers must not guess
 * another content type than the one declared), and `Retry-After` on a 503.
 */
export const finishingHeaders = (status: number): Readonly<Record<string, string>> =>
  status === 503 ? unavailable : nosniff

/** Adds a header to the response the current handler is about to send. */
export const setResponseHeader = (name: string, value: string): Effect.Effect<void> =>
  HttpApp.appendPreResponseHandler((_request, response) =>
    Effect.succeed(HttpServerResponse.setHeader(response, name, value))
  )
