import { HttpServer } from "@effect/platform"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { request as httpRequest } from "node:http"
import { ServiceTest } from "../test/ServiceTest.js"

/** CORS is off unless CORS_ORIGINS lists origins; then only those origins are allowed. */

interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string | Array<string> | undefined>>
  readonly text: string
}

const send = (method: string, path: string, headers: Readonly<Record<string, string>> = {}, body?: string) =>
  Effect.gen(function*() {
    const port = ((yield* HttpServer.HttpServer).address as HttpServer.TcpAddress).port
    const all: Record<string, string> = body === undefined
      ? { ...headers }
      : { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers }
    return yield* Effect.async<Reply>((resume) => {
      const req = httpRequest({ host: "127.0.0.1", port, method, path, headers: all }, (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (chunk: Buffer) => chunks.push(chunk))
        res.on("end", () =>
          resume(Effect.succeed({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() })))
      })
      req.on("error", (error) => resume(Effect.die(error)))
      req.end(body)
    })
  })

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
      const created = yield* send("POST", "/api/v1/applications", { origin: "https://example.com" }, body)
      expect(created.status).toBe(201)
      const replies = [
        created,
        yield* send("GET", "/api/v1/applications", { origin: "https://example.com" }),
        yield* send("GET", "/api/v1/applications/01ARZ3NDEKTSV4RRFFQ69G5FAV", { origin: "https://example.com" }),
        yield* send("GET", "/health/live", { origin: "https://example.com" }),
        yield* send("GET", "/api/v1/openapi.json", { origin: "null" })
      ]
      for (const reply of replies) {
        expect(corsHeaders(reply), reply.text.slice(0, 80)).toEqual([])
        expect(allows(reply, "https://example.com")).toBe(false)
      }
    }))

  it.effect("a preflight OPTIONS is not answered as one: no CORS headers, not a 2xx", () =>
    Effect.gen(function*() {
      for (const path of ["/api/v1/applications", "/api/v1/configurations/01ARZ3NDEKTSV4RRFFQ69G5FAV"]) {
        const reply = yield* send("OPTIONS", path, preflight("https://example.com"))
        expect(corsHeaders(reply), path).toEqual([])
        expect(reply.status, path).toBeGreaterThanOrEqual(400)
        expect(reply.status, path).toBeLessThan(500)
      }
    }))
})

it.layer(ServiceTest({ CORS_ORIGINS: "https://app.example.com" }))("with CORS_ORIGINS=https://app.example.com", (it) => {
  const app = "https://app.example.com"

  it.effect("that origin may read responses, errors included, and the ETag, Location and Link headers", () =>
    Effect.gen(function*() {
      const created = yield* send("POST", "/api/v1/applications", { origin: app }, JSON.stringify({ name: "cors" }))
      expect(created.status).toBe(201)
      const replies = [
        created,
        yield* send("GET", "/api/v1/applications?limit=1", { origin: app }),
        yield* send("GET", "/api/v1/applications/01ARZ3NDEKTSV4RRFFQ69G5FAV", { origin: app }),
        yield* send("POST", "/api/v1/applications", { origin: app }, "{broken")
      ]
      expect(replies.map((reply) => reply.status)).toEqual([201, 200, 404, 400])
      for (const reply of replies) {
        expect(reply.headers["access-control-allow-origin"], reply.text.slice(0, 80)).toBe(app)
        expect(list(reply.headers.vary)).toContain("origin")
        expect(list(reply.headers["access-control-expose-headers"])).toEqual(expect.arrayContaining(["etag", "location", "link"]))
      }
    }))

  it.effect("a preflight from that origin works: 2xx, the origin, the methods and the requested headers", () =>
    Effect.gen(function*() {
      for (const method of ["PUT", "POST", "DELETE"]) {
        const reply = yield* send("OPTIONS", "/api/v1/applications/01ARZ3NDEKTSV4RRFFQ69G5FAV", preflight(app, method))
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
          yield* send("GET", "/api/v1/applications", { origin }),
          yield* send("OPTIONS", "/api/v1/applications", preflight(origin, "POST"))
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
          const reply = yield* send("GET", "/api/v1/applications", { origin, authorization: "Bearer r-key" })
          expect(reply.status).toBe(200)
          expect(reply.headers["access-control-allow-origin"]).toBe(origin)
        }
        for (const origin of ["https://c.example.com", "https://a.example.com.evil.com", "null"]) {
          const reply = yield* send("GET", "/api/v1/applications", { origin, authorization: "Bearer r-key" })
          expect(reply.headers["access-control-allow-origin"], origin).toBeUndefined()
          const options = yield* send("OPTIONS", "/api/v1/applications", preflight(origin, "POST"))
          expect(options.headers["access-control-allow-origin"], origin).toBeUndefined()
        }
      }))

    it.effect("a preflight needs no key (browsers send none); a 401 still tells the allowed origin why", () =>
      Effect.gen(function*() {
        const options = yield* send("OPTIONS", "/api/v1/applications", preflight("https://a.example.com", "POST"))
        expect(options.status).toBeGreaterThanOrEqual(200)
        expect(options.status).toBeLessThan(300)
        expect(options.headers["access-control-allow-origin"]).toBe("https://a.example.com")
        expect(list(options.headers["access-control-allow-headers"])).toContain("authorization")
        const denied = yield* send("GET", "/api/v1/applications", { origin: "https://a.example.com" })
        expect(denied.status).toBe(401)
        expect(denied.headers["access-control-allow-origin"]).toBe("https://a.example.com")
      }))
  }
)
