import { HttpClient, HttpClientRequest } from "@effect/platform"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { request as httpRequest } from "node:http"
import { ServiceTest } from "../../../test/ServiceTest.js"

const post = (url: string, body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    const response = yield* http.execute(
      HttpClientRequest.post(url).pipe(
        HttpClientRequest.bodyText(body),
        HttpClientRequest.setHeaders(headers)
      )
    )
    return { response, body: (yield* response.json) as { _tag: string; message: string } }
  })

it.layer(ServiceTest({ BODY_LIMIT: "1KiB" }))("BodyCheck", (it) => {
  it.effect("a body over BODY_LIMIT is 413 and creates nothing", () =>
    Effect.gen(function*() {
      const name = "x".repeat(2000)
      const { body, response } = yield* post("/api/v1/applications", JSON.stringify({ name: "big", comments: name }))
      expect(response.status).toBe(413)
      expect(body._tag).toBe("PayloadTooLarge")
      const list = yield* (yield* HttpClient.HttpClient).get("/api/v1/applications")
      expect(yield* list.json).toEqual([])
    }))

  it.effect("a chunked body (no content-length) over the limit is 413 too", () =>
    Effect.gen(function*() {
      const http = yield* HttpClient.HttpClient
      const base = (yield* http.get("/health/live")).request.url.replace("/health/live", "")
      const status = yield* Effect.async<number>((resume) => {
        const req = httpRequest(`${base}/api/v1/applications`, {
          method: "POST",
          headers: { "content-type": "application/json", "transfer-encoding": "chunked" }
        }, (res) => {
          res.resume()
          resume(Effect.succeed(res.statusCode ?? 0))
        })
        req.on("error", () => resume(Effect.succeed(-1)))
        req.write(`{"name":"chunked","comments":"`)
        for (let i = 0; i < 20; i++) req.write("y".repeat(100))
        req.end(`"}`)
      })
      expect(status).toBe(413)
    }))

  it.effect("malformed JSON is 400 MalformedJson; an empty body is 400", () =>
    Effect.gen(function*() {
      for (const text of ["{", "{\"name\": }", "nul", "{'name':'single'}"]) {
        const { body, response } = yield* post("/api/v1/applications", text)
        expect(response.status, text).toBe(400)
        expect(body._tag).toBe("MalformedJson")
        expect(body.message).toMatch(/not valid JSON/)
      }
      const empty = yield* post("/api/v1/applications", "")
      expect(empty.response.status).toBe(400)
    }))

  it.effect("a body that is not JSON is 415; JSON with a charset parameter is accepted", () =>
    Effect.gen(function*() {
      const plain = yield* post("/api/v1/applications", "name=x", { "content-type": "application/x-www-form-urlencoded" })
      expect(plain.response.status).toBe(415)
      expect(plain.body._tag).toBe("UnsupportedMediaType")
      const charset = yield* post("/api/v1/applications", JSON.stringify({ name: "charset" }), {
        "content-type": "application/json; charset=utf-8"
      })
      expect(charset.response.status).toBe(201)
      const vendor = yield* post("/api/v1/applications", JSON.stringify({ name: "vendor" }), {
        "content-type": "application/json;charset=UTF-8"
      })
      expect(vendor.response.status).toBe(201)
    }))
})
