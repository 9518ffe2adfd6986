import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { HttpResponse } from "../../test/Net.js"
import { served } from "../../test/Requests.js"
import { ServiceTest } from "../../test/ServiceTest.js"

/** CORS is off unless CORS_ORIGINS lists origins; then only those origins are allowed. */

type Reply = HttpResponse

const corsHeaders = (reply: Reply) => Object.keys(reply.headers).filter((name) => name.startsWith("access-control-"))

const list = (value: string | Array<string> | undefined) =>
  String(value ?? "").split(",").map((item) => item.trim().toLowerCase()).filter((item) => item !== "")

const preflight = (origin: string, method = "PUT", requestHeaders = "content-type, if-match, authorization") => ({
  origin,
  "access-control-request-method": method,
  "access-control-request-headers": requestHeaders
})

/** A browser on `origin` may read the response only if it names that origin (or `*`). */
const allows = (reply: Reply, origin: string) => {
  const allowed = reply.headers["access-control-allow-origin"]
  return allowed === origin || allowed === "*"
}

it.layer(ServiceTest())("without CORS_ORIGINS", (it) => {
  it.effect("no response carries CORS headers, whatever the Origin", () =>
    Effect.gen(function*() {
      const body = JSON.stringify({ name: "no-cors" })
      const created = yield* served("POST", "/api/v1/applications", { headers: { origin: "https://example.com" }, body })
      expect(created.status).toBe(201)
      const replies = [
        created,
        yield* served("GET", "/api/v1/applications", { headers: { origin: "https://example.com" } }),
        yield* served("GET", "/api/v1/applications/01ARZ3NDEKTSV4RRFFQ69G5FAV", { headers: { origin: "https://example.com" } }),
        yield* served("GET", "/health/live", { headers: { origin: "https://example.com" } }),
        yield* served("GET", "/api/v1/openapi.json", { headers: { origin: "null" } })
      ]
      for (const reply of replies) {
        expect(corsHeaders(reply), reply.text.slice(0, 80)).toEqual([])
        expect(allows(reply, "https://example.com")).toBe(false)
      }
    }))

  it.effect("a preflight OPTIONS is not answered as one: no CORS headers, not a 2xx", () =>
    Effect.gen(function*() {
      for (const path of ["/api/v1/applications", "/api/v1/configurations/01ARZ3NDEKTSV4RRFFQ69G5FAV"]) {
        const reply = yield* served("OPTIONS", path, { headers: preflight("https://example.com") })
        expect(corsHeaders(reply), path).toEqual([])
        expect(reply.status, path).toBeGreaterThanOrEqual(400)
        expect(reply.status, path).toBeLessThan(500)
      }
    }))
})

it.layer(ServiceTest({ CORS_ORIGINS: "https://app.example.com" }))("with CORS_ORIGINS=https://app.example.com", (it) => {
  const app = "https://app.example.com"

  it.effect("that origin may read responses, errors included, and every response header the API document names", () =>
    Effect.gen(function*() {
      const document = (yield* served("GET", "/api/v1/openapi.json")).json as any
      // Scripts read the CORS-safelisted headers anyway; X-Accel-Buffering speaks to proxies.
      const unexposed = ["cache-control", "content-language", "content-length", "content-type", "expires", "x-accel-buffering"]
      const exposed = [...new Set(Object.values(document.paths as Record<string, Record<string, any>>)
        .flatMap((methods) => Object.values(methods))
        .flatMap((op) => Object.values(op.responses as Record<string, any>))
        .flatMap((response) => Object.keys(response.headers ?? {}).map((name) => name.toLowerCase())))]
        .filter((name) => !unexposed.includes(name))
      expect(exposed).toEqual(expect.arrayContaining(["etag", "location", "link", "retry-after", "x-instance-id"]))
      const created = yield* served("POST", "/api/v1/applications", { headers: { origin: app }, body: JSON.stringify({ name: "cors" }) })
      expect(created.status).toBe(201)
      const replies = [
        created,
        yield* served("GET", "/api/v1/applications?limit=1", { headers: { origin: app } }),
        yield* served("GET", "/api/v1/applications/01ARZ3NDEKTSV4RRFFQ69G5FAV", { headers: { origin: app } }),
        yield* served("POST", "/api/v1/applications", { headers: { origin: app }, body: "{broken" })
      ]
      expect(replies.map((reply) => reply.status)).toEqual([201, 200, 404, 400])
      for (const reply of replies) {
        expect(reply.headers["access-control-allow-origin"], reply.text.slice(0, 80)).toBe(app)
        expect(list(reply.headers.vary)).toContain("origin")
        expect(list(reply.headers["access-control-expose-headers"])).toEqual(expect.arrayContaining(exposed))
      }
    }))

  it.effect("a preflight from that origin works: 2xx, the origin, the methods and the requested headers", () =>
    Effect.gen(function*() {
      for (const method of ["PUT", "POST", "DELETE"]) {
        const reply = yield* served("OPTIONS", "/api/v1/applications/01ARZ3NDEKTSV4RRFFQ69G5FAV", { headers: preflight(app, method) })
        expect(reply.status).toBeGreaterThanOrEqual(200)
        expect(reply.status).toBeLessThan(300)
        expect(reply.headers["access-control-allow-origin"]).toBe(app)
        expect(list(reply.headers["access-control-allow-methods"])).toContain(method.toLowerCase())
        expect(list(reply.headers["access-control-allow-headers"])).toEqual(
          expect.arrayContaining(["content-type", "if-match", "authorization"])
        )
      }
    }))

  it.effect("another origin is not allowed, on requests or preflights", () =>
    Effect.gen(function*() {
      for (const origin of ["https://evil.example.com", "https://app.example.com.evil.com", "http://app.example.com", "null"]) {
        const replies = [
          yield* served("GET", "/api/v1/applications", { headers: { origin } }),
          yield* served("OPTIONS", "/api/v1/applications", { headers: preflight(origin, "POST") })
        ]
        for (const reply of replies) {
          expect(allows(reply, origin), `${origin}: ${JSON.stringify(reply.headers)}`).toBe(false)
          expect(reply.headers["access-control-allow-origin"]).not.toBe("*")
        }
      }
    }))
})

it.layer(ServiceTest({ CORS_ORIGINS: "https://a.example.com, https://b.example.com", API_KEYS: "r-key:read,w-key:write" }))(
  "with two CORS origins and API_KEYS",
  (it) => {
    it.effect("each listed origin is echoed exactly; others get no access-control-allow-origin", () =>
      Effect.gen(function*() {
        for (const origin of ["https://a.example.com", "https://b.example.com"]) {
          const reply = yield* served("GET", "/api/v1/applications", { headers: { origin, authorization: "Bearer r-key" } })
          expect(reply.status).toBe(200)
          expect(reply.headers["access-control-allow-origin"]).toBe(origin)
        }
        for (const origin of ["https://c.example.com", "https://a.example.com.evil.com", "null"]) {
          const reply = yield* served("GET", "/api/v1/applications", { headers: { origin, authorization: "Bearer r-key" } })
          expect(reply.headers["access-control-allow-origin"], origin).toBeUndefined()
          const options = yield* served("OPTIONS", "/api/v1/applications", { headers: preflight(origin, "POST") })
          expect(options.headers["access-control-allow-origin"], origin).toBeUndefined()
        }
      }))

    it.effect("a preflight needs no key (browsers send none); a 401 still tells the allowed origin why", () =>
      Effect.gen(function*() {
        const options = yield* served("OPTIONS", "/api/v1/applications", { headers: preflight("https://a.example.com", "POST") })
        expect(options.status).toBeGreaterThanOrEqual(200)
        expect(options.status).toBeLessThan(300)
        expect(options.headers["access-control-allow-origin"]).toBe("https://a.example.com")
        expect(list(options.headers["access-control-allow-headers"])).toContain("authorization")
        const denied = yield* served("GET", "/api/v1/applications", { headers: { origin: "https://a.example.com" } })
        expect(denied.status).toBe(401)
        expect(denied.headers["access-control-allow-origin"]).toBe("https://a.example.com")
      }))
  }
)
