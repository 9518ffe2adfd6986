import { HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { setResponseHeader } from "./ResponseHeaders.js"

describe("ResponseHeaders", () => {
  it.effect("setResponseHeader adds headers to the response about to be sent", () =>
    Effect.gen(function*() {
      yield* setResponseHeader("location", "/api/v1/applications/X")
      yield* setResponseHeader("link", "<next>; rel=\"next\"")
      const handler = yield* HttpApp.currentPreResponseHandlers
      expect(Option.isSome(handler)).toBe(true)
      const request = HttpServerRequest.fromWeb(new Request("http://localhost/"))
      const response = yield* Option.getOrThrow(handler)(request, HttpServerResponse.empty({ status: 201 }))
      expect(response.headers).toMatchObject({ location: "/api/v1/applications/X", link: "<next>; rel=\"next\"" })
    }).pipe(Effect.locally(HttpApp.currentPreResponseHandlers, Option.none())))
})
