import { HttpApp, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"

/** Adds a header to the response the current handler is about to send. */
export const setResponseHeader = (name: string, value: string): Effect.Effect<void> =>
  HttpApp.appendPreResponseHandler((_request, response) =>
    Effect.succeed(HttpServerResponse.setHeader(response, name, value))
  )
