import { HttpClient } from "@effect/platform"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { ServiceTest } from "../../test/ServiceTest.js"

it.layer(ServiceTest())("the HTTP service", (it) => {
  it.effect("serves the OpenAPI 3.1 document generated from the Api", () =>
    Effect.gen(function*() {
      const response = yield* (yield* HttpClient.HttpClient).get("/api/v1/openapi.json")
      expect(response.status).toBe(200)
      const spec = (yield* response.json) as { openapi: string; paths: Record<string, unknown> }
      expect(spec.openapi).toBe("3.1.0")
      expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining([
        "/api/v1/applications",
        "/api/v1/applications/{id}",
        "/api/v1/applications/{id}/configurations",
        "/api/v1/configurations",
        "/api/v1/configurations/{id}"
      ]))
    }))

  it.effect("serves a self-contained docs page (no external scripts or styles)", () =>
    Effect.gen(function*() {
      const response = yield* (yield* HttpClient.HttpClient).get("/docs")
      expect(response.status).toBe(200)
      expect(response.headers["content-type"]).toContain("text/html")
      const html = yield* response.text
      expect(html).toContain("SwaggerUIBundle")
      expect(html).toContain("/api/v1/applications")
      expect(html).not.toMatch(/<script[^>]+src=["']https?:/)
      expect(html).not.toMatch(/<link[^>]+href=["']https?:/)
    }))
})
