import { HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { describe, expect, it, vi } from "@effect/vitest"
import { Cause, Effect, HashMap, Layer, List, Logger, Option, Redacted } from "effect"
import { connect } from "node:net"
import { served, type Served, serverPort } from "../../../test/Requests.js"
import { ServiceTest } from "../../../test/ServiceTest.js"
import { type ApiKey, defaultKeyName, type Role } from "../../Domain/ApiKeys.js"
import { makeAuthorize } from "./Authentication.js"

const key = (token: string, role: Role, name = defaultKeyName(token)): ApiKey => ({ name, token: Redacted.make(token), role })

/** "ok", or the tag of the error the authorizer fails with. */
const outcome = (authorize: ReturnType<typeof makeAuthorize>, method: string, header: string | undefined) =>
  authorize(method, header).pipe(
    Effect.as("ok"),
    Effect.catchAll((error) => Effect.succeed(error._tag)),
    Effect.locally(HttpApp.currentPreResponseHandlers, Option.none())
  )

describe("makeAuthorize", () => {
  const authorize = makeAuthorize([key("r-key", "read"), key("w-key", "write"), key("abc", "read"), key("abcdef", "write")])

  it.effect("a missing, malformed or unknown Authorization header is Unauthorized", () =>
    Effect.gen(function*() {
      const headers = [
        undefined,
        "",
        "Bearer",
        "Bearer ",
        "r-key",
        "Basic ci1rZXk6",
        "Token r-key",
        "Bearer r-key extra",
        "Bearer r-key,w-key",
        "Bearer\tr-key",
        "Bearer unknown",
        "Bearer R-KEY",
        "Bearer r-ke",
        "Bearer r-key2",
        "Bearer ab",
        "Bearer abcde",
        "Bearer abcdefg",
        `Bearer ${"x".repeat(10_000)}`,
        "Bearer \u0000",
        "Bearer ключ"
      ]
      for (const header of headers) {
        for (const method of ["GET", "POST"]) {
          expect(yield* outcome(authorize, method, header), `${method} ${JSON.stringify(header)}`).toBe("Unauthorized")
        }
      }
    }))

  it.effect("Unauthorized sets WWW-Authenticate: Bearer realm=\"config-service\"", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(authorize("GET", "Bearer nope"))
      expect(error._tag).toBe("Unauthorized")
      expect(error.message).not.toContain("nope")
      const handler = Option.getOrThrow(yield* HttpApp.currentPreResponseHandlers)
      const sent = yield* handler(HttpServerRequest.fromWeb(new Request("http://x/")), HttpServerResponse.empty())
      expect(sent.headers["www-authenticate"]).toBe(`Bearer realm="config-service"`)
    }).pipe(Effect.locally(HttpApp.currentPreResponseHandlers, Option.none())))

  it.effect("a read key may GET, HEAD and OPTIONS; POST, PUT, PATCH and DELETE are Forbidden", () =>
    Effect.gen(function*() {
      for (const method of ["GET", "HEAD", "OPTIONS"]) {
        expect(yield* outcome(authorize, method, "Bearer r-key"), method).toBe("ok")
        expect(yield* outcome(authorize, method, "Bearer abc"), method).toBe("ok")
      }
      for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
        expect(yield* outcome(authorize, method, "Bearer r-key"), method).toBe("Forbidden")
        expect(yield* outcome(authorize, method, "Bearer abc"), method).toBe("Forbidden")
      }
    }))

  it.effect("a write key may do everything", () =>
    Effect.gen(function*() {
      for (const method of ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]) {
        expect(yield* outcome(authorize, method, "Bearer w-key"), method).toBe("ok")
        expect(yield* outcome(authorize, method, "Bearer abcdef"), method).toBe("ok")
      }
    }))

  it.effect("the scheme is case-insensitive and surrounding spaces are allowed; the token is exact", () =>
    Effect.gen(function*() {
      for (const header of ["bearer w-key", "BEARER w-key", "BeArEr w-key", "Bearer   w-key", "Bearer w-key  "]) {
        expect(yield* outcome(authorize, "DELETE", header), header).toBe("ok")
      }
      expect(yield* outcome(authorize, "DELETE", "Bearer W-KEY")).toBe("Unauthorized")
    }))

  it.effect("a key listed both as read and write is a write key; a key that is a prefix of another matches only itself", () =>
    Effect.gen(function*() {
      const both = makeAuthorize([key("k", "read"), key("k", "write")])
      expect(yield* outcome(both, "POST", "Bearer k")).toBe("ok")
      const bothReversed = makeAuthorize([key("k", "write"), key("k", "read")])
      expect(yield* outcome(bothReversed, "POST", "Bearer k")).toBe("ok")
      const prefixes = makeAuthorize([key("secret", "read"), key("secret-longer", "write")])
      expect(yield* outcome(prefixes, "POST", "Bearer secret")).toBe("Forbidden")
      expect(yield* outcome(prefixes, "POST", "Bearer secret-longer")).toBe("ok")
      expect(yield* outcome(prefixes, "GET", "Bearer secret-long")).toBe("Unauthorized")
      expect(yield* outcome(prefixes, "GET", "Bearer secret-longer-still")).toBe("Unauthorized")
    }))
})

// ---------------------------------------------------------------------------------------
// Over HTTP
// ---------------------------------------------------------------------------------------

type Json = any

type Reply = Served

/** Writes a raw HTTP/1.1 request on a socket and returns the status code of the answer. */
const rawStatus = (requestText: string) =>
  Effect.gen(function*() {
    const target = yield* serverPort
    const answer = yield* Effect.async<string>((resume) => {
      const socket = connect({ host: "127.0.0.1", port: target })
      let received = ""
      socket.on("data", (chunk) => (received += chunk.toString("latin1")))
      socket.on("end", () => resume(Effect.succeed(received)))
      socket.on("error", () => resume(Effect.succeed(received)))
      socket.write(requestText)
    })
    const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)
    return { status: status ? Number(status[1]) : 0, answer }
  })

const expectUnauthorized = (reply: Reply, label: string) => {
  expect(reply.status, `${label}: ${reply.text}`).toBe(401)
  expect(reply.headers["www-authenticate"], label).toBe(`Bearer realm="config-service"`)
  expect(reply.json, label).toMatchObject({ _tag: "Unauthorized" })
  expect(typeof reply.json.message, label).toBe("string")
  expect(reply.headers["x-content-type-options"], label).toBe("nosniff")
}

/** Every log record the service writes: message, annotations, spans and cause, as text. */
const logged: Array<string> = []
const CaptureLogs = Logger.add(Logger.make(({ annotations, cause, message, spans }) => {
  logged.push(JSON.stringify({
    message: Array.isArray(message) ? message.map(String) : String(message),
    annotations: [...HashMap.toEntries(annotations)].map(([k, v]) => `${k}=${String(v)}`),
    spans: List.toArray(spans).map((span) => span.label),
    cause: Cause.isEmpty(cause) ? "" : Cause.pretty(cause, { renderErrorCause: true })
  }))
}))

const keys = { API_KEYS: "r-key:read,w-key:write", BODY_LIMIT: "1KiB" }

const endpoints = (appId: string, cfgId: string) =>
  [
    ["GET", "/api/v1/applications"],
    ["GET", "/api/v1/applications?limit=1"],
    ["POST", "/api/v1/applications"],
    ["GET", `/api/v1/applications/${appId}`],
    ["PUT", `/api/v1/applications/${appId}`],
    ["DELETE", `/api/v1/applications/${appId}?cascade=true`],
    ["GET", `/api/v1/applications/${appId}/configurations`],
    ["POST", "/api/v1/configurations"],
    ["GET", `/api/v1/configurations/${cfgId}`],
    ["PUT", `/api/v1/configurations/${cfgId}`],
    ["DELETE", `/api/v1/configurations/${cfgId}`],
    ["HEAD", "/api/v1/applications"],
    ["GET", "/api/v1/nowhere"]
  ] as const

it.layer(ServiceTest(keys).pipe(Layer.provide(CaptureLogs)))("API_KEYS over HTTP", (it) => {
  const setup = Effect.gen(function*() {
    const app = yield* served("POST", "/api/v1/applications", {
      token: "w-key",
      body: JSON.stringify({ name: `auth-${Math.random().toString(36).slice(2)}` })
    })
    expect(app.status, app.text).toBe(201)
    const cfg = yield* served("POST", "/api/v1/configurations", {
      token: "w-key",
      body: JSON.stringify({ application_id: app.json.id, name: "c", config: { a: 1 } })
    })
    expect(cfg.status, cfg.text).toBe(201)
    return { app: app.json, cfg: cfg.json }
  })

  const body = (method: string, app: Json) =>
    method === "POST" || method === "PUT"
      ? { body: JSON.stringify({ name: `x-${Math.random()}`, application_id: app.id, config: {} }) }
      : {}

  it.effect("every /api/v1 request without a token, or with an unknown or malformed one, is 401 with WWW-Authenticate", () =>
    Effect.gen(function*() {
      const { app, cfg } = yield* setup
      const authorizations = [undefined, "Bearer unknown", "Bearer", "Basic dy1rZXk6", "w-key", "Bearer w-key w-key", "Bearer W-KEY"]
      for (const [method, path] of endpoints(app.id, cfg.id)) {
        for (const authorization of authorizations) {
          const reply = yield* served(method, path, {
            ...body(method, app),
            headers: authorization === undefined ? {} : { authorization }
          })
          const label = `${method} ${path} ${authorization}`
          if (method === "HEAD") {
            expect(reply.status, label).toBe(401)
            expect(reply.headers["www-authenticate"], label).toBe(`Bearer realm="config-service"`)
          } else {
            expectUnauthorized(reply, label)
          }
        }
      }
      const still = yield* served("GET", `/api/v1/applications/${app.id}`, { token: "r-key" })
      expect(still.json).toMatchObject({ version: 1, configuration_ids: [cfg.id] })
    }))

  it.effect("a read key reads (200) but every write is 403 Forbidden and changes nothing", () =>
    Effect.gen(function*() {
      const { app, cfg } = yield* setup
      const reads = [
        "/api/v1/applications",
        `/api/v1/applications/${app.id}`,
        `/api/v1/applications/${app.id}/configurations`,
        `/api/v1/configurations/${cfg.id}`
      ]
      for (const path of reads) {
        const reply = yield* served("GET", path, { token: "r-key" })
        expect(reply.status, path).toBe(200)
      }
      const head = yield* served("HEAD", "/api/v1/applications", { token: "r-key" })
      expect(head.status).toBe(200)
      const writes = endpoints(app.id, cfg.id).filter(([method]) => method !== "GET" && method !== "HEAD")
      for (const [method, path] of writes) {
        const reply = yield* served(method, path, { token: "r-key", ...body(method, app) })
        expect(reply.status, `${method} ${path}: ${reply.text}`).toBe(403)
        expect(reply.json).toMatchObject({ _tag: "Forbidden" })
        expect(typeof reply.json.message).toBe("string")
      }
      const after = yield* served("GET", `/api/v1/applications/${app.id}`, { token: "r-key" })
      expect(after.json).toMatchObject({ name: app.name, version: 1, configuration_ids: [cfg.id] })
      expect((yield* served("GET", `/api/v1/configurations/${cfg.id}`, { token: "r-key" })).json).toMatchObject({ version: 1 })
    }))

  it.effect("a write key does everything: 201, 200, 204", () =>
    Effect.gen(function*() {
      const { app, cfg } = yield* setup
      const renamed = yield* served("PUT", `/api/v1/applications/${app.id}`, {
        token: "w-key",
        body: JSON.stringify({ name: `${app.name}-renamed` })
      })
      expect(renamed.status, renamed.text).toBe(200)
      const updated = yield* served("PUT", `/api/v1/configurations/${cfg.id}`, {
        token: "w-key",
        body: JSON.stringify({ name: "c", config: { a: 2 } })
      })
      expect(updated.status, updated.text).toBe(200)
      expect((yield* served("GET", `/api/v1/configurations/${cfg.id}`, { token: "w-key" })).json.config).toEqual({ a: 2 })
      expect((yield* served("DELETE", `/api/v1/configurations/${cfg.id}`, { token: "w-key" })).status).toBe(204)
      expect((yield* served("DELETE", `/api/v1/applications/${app.id}`, { token: "w-key" })).status).toBe(204)
      expect((yield* served("GET", `/api/v1/applications/${app.id}`, { token: "w-key" })).status).toBe(404)
    }))

  it.effect("health, docs and the OpenAPI document stay open (a bad token there is ignored)", () =>
    Effect.gen(function*() {
      for (const path of ["/health/live", "/health/ready", "/docs", "/api/v1/openapi.json"]) {
        for (const headers of [{}, { authorization: "Bearer unknown" }, { authorization: "garbage" }]) {
          const reply = yield* served("GET", path, { headers })
          expect(reply.status, `${path} ${JSON.stringify(headers)}`).toBe(200)
          expect(reply.headers["www-authenticate"]).toBeUndefined()
        }
      }
    }))

  it.effect("the OpenAPI document declares the bearer scheme and requires it on every /api/v1 operation, not on health", () =>
    Effect.gen(function*() {
      const spec = (yield* served("GET", "/api/v1/openapi.json")).json
      expect(spec.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" })
      const operations = Object.entries(spec.paths as Record<string, Record<string, Json>>).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({ path, method, operation }))
      )
      const api = operations.filter(({ path }) => path.startsWith("/api/v1/"))
      expect(api.length).toBeGreaterThanOrEqual(10)
      for (const { method, operation, path } of api) {
        expect(operation.security, `${method} ${path}`).toEqual([{ bearer: [] }])
      }
      const health = operations.filter(({ path }) => path.startsWith("/health"))
      expect(health.length).toBeGreaterThanOrEqual(2)
      // no requirement, or an empty one: both mean open
      for (const { operation } of health) expect(operation.security ?? []).toEqual([])
    }))

  it.effect("auth comes before the body: without a key an over-long, malformed or non-JSON body is 401; a read key gets 403", () =>
    Effect.gen(function*() {
      const { app } = yield* setup
      const big = JSON.stringify({ name: "x".repeat(4_000) })
      const cases = [
        { body: big },
        { body: "{not json" },
        { body: "\u00ff\u00fe", headers: { "content-type": "application/json" } },
        { body: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } }
      ]
      for (const options of cases) {
        for (const path of ["/api/v1/applications", `/api/v1/applications/${app.id}`]) {
          const method = path === "/api/v1/applications" ? "POST" : "PUT"
          expectUnauthorized(yield* served(method, path, options), `${method} ${path} ${options.body.slice(0, 20)}`)
          const forbidden = yield* served(method, path, { ...options, token: "r-key" })
          expect(forbidden.status, forbidden.text).toBe(403)
        }
      }
      // the same bodies with the write key reach the body checks
      expect((yield* served("POST", "/api/v1/applications", { body: big, token: "w-key" })).status).toBe(413)
      expect((yield* served("POST", "/api/v1/applications", { body: "{not json", token: "w-key" })).status).toBe(400)
    }))

  it.effect("no way around the key: case, doubled slashes, percent-encoding, dot segments and absolute URLs are 401 or 404", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const count = Effect.map(sql<{ n: number }>`SELECT count(*)::int AS n FROM applications`, (rows) => rows[0]!.n)
      const before = yield* count
      const target = yield* serverPort
      const paths = [
        "/API/V1/applications",
        "/Api/v1/applications",
        "//api/v1/applications",
        "/api//v1/applications",
        "/%61pi/v1/applications",
        "/api/%761/applications",
        "/api/v1/%61pplications",
        "/health/../api/v1/applications",
        "/api/v1/openapi.json/../applications",
        "/docs/../api/v1/applications",
        "/./api/v1/applications",
        `http://127.0.0.1:${target}/api/v1/applications`,
        `http://example.com/api/v1/applications`
      ]
      const results: Array<[string, string, number]> = []
      for (const path of paths) {
        for (const method of ["GET", "POST"]) {
          const body = method === "POST" ? JSON.stringify({ name: `bypass-${method}-${path}` }) : ""
          const { status } = yield* rawStatus(
            `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${target}\r\nConnection: close\r\n` +
              (body === "" ? "\r\n" : `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
          )
          results.push([method, path, status])
        }
      }
      const allowed = new Set([400, 401, 404])
      expect(results.filter(([, , status]) => !allowed.has(status)), "requests that got past the key").toEqual([])
      expect(yield* count).toBe(before)
    }))

  it.effect("tokens never appear in logs or responses, even when a request fails unexpectedly", () =>
    Effect.gen(function*() {
      const consoleSpies = (["log", "info", "warn", "error", "debug"] as const).map((method) =>
        vi.spyOn(console, method).mockImplementation(() => {})
      )
      const unknown = "unknown-secret-token-4242"
      const start = logged.length
      const replies = [
        yield* served("GET", "/api/v1/applications", { token: "r-key" }),
        yield* served("POST", "/api/v1/applications", { token: "w-key", body: JSON.stringify({ name: "logged" }) }),
        yield* served("POST", "/api/v1/applications", { token: "r-key", body: JSON.stringify({ name: "forbidden" }) }),
        yield* served("GET", "/api/v1/applications", { token: unknown }),
        yield* served("GET", "/api/v1/applications", { headers: { authorization: `Basic ${unknown}` } }),
        yield* served("GET", "/health/live", { token: unknown }),
        // 10,000-deep JSON in a name currently makes the service fail unexpectedly and log the cause
        yield* served("POST", "/api/v1/applications", { token: "w-key", body: `{"name":${"[".repeat(10_000)}${"]".repeat(10_000)}}` }),
        yield* served("GET", "/api/v1/nowhere", { token: "w-key" })
      ]
      const consoleText = consoleSpies.flatMap((spy) => spy.mock.calls.map((call) => call.map(String).join(" "))).join("\n")
      for (const spy of consoleSpies) spy.mockRestore()
      const logText = logged.slice(start).join("\n")
      expect(logged.length - start, "one log line per request").toBeGreaterThanOrEqual(replies.length)
      expect(logText).toContain("/api/v1/applications")
      expect(logText).toContain("401")
      for (const token of ["r-key", "w-key", unknown]) {
        expect(logText, token).not.toContain(token)
        expect(consoleText, token).not.toContain(token)
        for (const reply of replies) {
          expect(reply.text, token).not.toContain(token)
          expect(JSON.stringify(reply.headers), token).not.toContain(token)
        }
      }
    }))
})

it.layer(ServiceTest({ ...keys, LOG_FORMAT: "json" }).pipe(Layer.provide(CaptureLogs)))("API_KEYS with structured logs", (it) => {
  it.effect("request log annotations carry method, path and status, never the token", () =>
    Effect.gen(function*() {
      const start = logged.length
      expect((yield* served("GET", "/api/v1/applications?limit=5", { token: "r-key" })).status).toBe(200)
      expect((yield* served("DELETE", "/api/v1/applications/01ARZ3NDEKTSV4RRFFQ69G5FAV", { token: "r-key" })).status).toBe(403)
      expect((yield* served("GET", "/api/v1/applications", { token: "not-a-key-77" })).status).toBe(401)
      const lines = logged.slice(start)
      expect(lines.some((line) => line.includes("status=401") && line.includes("path=/api/v1/applications"))).toBe(true)
      expect(lines.some((line) => line.includes("status=403") && line.includes("method=DELETE"))).toBe(true)
      for (const token of ["r-key", "not-a-key-77"]) expect(lines.join("\n")).not.toContain(token)
    }))
})

it.layer(ServiceTest())("without API_KEYS", (it) => {
  it.effect("the API is open; any Authorization header is ignored; no WWW-Authenticate", () =>
    Effect.gen(function*() {
      for (const headers of [{}, { authorization: "Bearer whatever" }, { authorization: "garbage" }]) {
        const created = yield* served("POST", "/api/v1/applications", {
          body: JSON.stringify({ name: `open-${Math.random()}` }),
          headers
        })
        expect(created.status, created.text).toBe(201)
        const list = yield* served("GET", "/api/v1/applications", { headers })
        expect(list.status).toBe(200)
        expect(list.headers["www-authenticate"]).toBeUndefined()
        expect((yield* served("DELETE", `/api/v1/applications/${created.json.id}`, { headers })).status).toBe(204)
      }
    }))
})
