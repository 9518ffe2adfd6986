import { HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { ServiceTest, settingsFrom } from "../../../test/ServiceTest.js"
import { layerPgClient } from "../../ChangeFeed/Database.js"
import { HttpAppLive } from "../App.js"
import { Migrator } from "../../Migrations/Migrator.js"

it.layer(ServiceTest())("what every request gets", (it) => {
  it.effect("unknown routes are JSON 404s, a known path's other methods 405 with Allow; every response says nosniff", () =>
    Effect.gen(function*() {
      const http = yield* HttpClient.HttpClient
      const unknown = yield* http.execute(HttpClientRequest.get("/nowhere"))
      expect(unknown.status).toBe(404)
      expect(yield* unknown.json).toMatchObject({ _tag: "RouteNotFound" })
      expect(unknown.headers["x-content-type-options"]).toBe("nosniff")
      for (
        const [request, allow] of [
          [HttpClientRequest.patch("/api/v1/applications"), "GET, HEAD, POST"],
          [HttpClientRequest.post("/api/v1/configurations/01ARZ3NDEKTSV4RRFFQ69G5FAV"), "DELETE, GET, HEAD, PUT"],
          [HttpClientRequest.del("/health/live"), "GET, HEAD"]
        ] as const
      ) {
        const response = yield* http.execute(request)
        expect(response.status).toBe(405)
        expect(response.headers.allow).toBe(allow)
        expect(yield* response.json).toMatchObject({ _tag: "MethodNotAllowed", allow: allow.split(", ") })
        expect(response.headers["x-content-type-options"]).toBe("nosniff")
      }
      expect((yield* http.get("/health/live")).headers["x-content-type-options"]).toBe("nosniff")
    }))
})

const UnreachableDatabase = HttpAppLive.pipe(
  Layer.provideMerge(NodeHttpServer.layerTest),
  Layer.provide(Migrator.Default),
  Layer.provide(layerPgClient({
    url: Redacted.make("postgres://postgres:postgres@127.0.0.1:1/none"),
    poolSize: 2,
    connectTimeout: "1 second",
    statementTimeout: "1 second"
  })),
  Layer.provide(settingsFrom())
)

it.layer(UnreachableDatabase)("with the database unreachable", (it) => {
  it.effect("API requests are 503 with Retry-After; ready is 503, live stays 200", () =>
    Effect.gen(function*() {
      const http = yield* HttpClient.HttpClient
      const started = Date.now()
      const list = yield* http.get("/api/v1/applications")
      expect(list.status).toBe(503)
      expect(list.headers["retry-after"]).toBe("1")
      expect(yield* list.json).toMatchObject({ _tag: "DatabaseUnavailable" })
      const created = yield* http.execute(
        HttpClientRequest.post("/api/v1/applications").pipe(HttpClientRequest.bodyUnsafeJson({ name: "x" }))
      )
      expect(created.status).toBe(503)
      expect(Date.now() - started).toBeLessThan(5000)
      const ready = yield* http.get("/health/ready")
      expect(ready.status).toBe(503)
      expect(yield* ready.json).toMatchObject({ _tag: "NotReady", checks: { database: "unreachable" } })
      expect((yield* http.get("/health/live")).status).toBe(200)
    }))
})
