import { describe, expect, it } from "@effect/vitest"
import { Either, Redacted } from "effect"
import type http from "node:http"
import type { SettingsShape } from "../../Settings.js"
import { Authentication } from "../Edge/Authentication.js"
import { RequestCheck } from "../Edge/RequestCheck.js"
import { twins } from "./Twins.js"

const settings = {
  apiKeys: [
    { name: "reader", token: Redacted.make("r-key"), role: "read" },
    { name: "writer", token: Redacted.make("w-key"), role: "write" }
  ],
  bodyLimit: 100
} as unknown as SettingsShape

const request = (method: string, url: string, headers: http.IncomingHttpHeaders = {}) =>
  ({ method, url, headers }) as http.IncomingMessage

describe("the fast path's twins", () => {
  it("twin every middleware the API declares", () => {
    expect([...twins.keys()]).toEqual([Authentication, RequestCheck])
  })

  it("Authentication: passes what makeAccess grants, nothing else", () => {
    const passes = twins.get(Authentication)!.passes(settings)
    expect(passes(request("GET", "/x", { authorization: "Bearer r-key" }))).toBe(true)
    expect(passes(request("POST", "/x", { authorization: "bearer  w-key " }))).toBe(true)
    expect(passes(request("POST", "/x", { authorization: "Bearer r-key" }))).toBe(false)
    expect(passes(request("GET", "/x", { authorization: "Bearer nope" }))).toBe(false)
    expect(passes(request("GET", "/x"))).toBe(false)
    const open = twins.get(Authentication)!.passes({ ...settings, apiKeys: [] })
    expect(open(request("DELETE", "/x"))).toBe(true)
  })

  it("RequestCheck: no query string; a body within BODY_LIMIT by content-length, of JSON", () => {
    const passes = twins.get(RequestCheck)!.passes(settings)
    expect(passes(request("GET", "/x"))).toBe(true)
    expect(passes(request("GET", "/x?"))).toBe(false)
    expect(passes(request("GET", "/x?wait=1"))).toBe(false)
    const json = { "content-type": "application/json; charset=utf-8" }
    expect(passes(request("POST", "/x", { ...json, "content-length": "100" }))).toBe(true)
    expect(passes(request("POST", "/x", { "content-length": "2" }))).toBe(true)
    expect(passes(request("POST", "/x", { ...json, "content-length": "101" }))).toBe(false)
    expect(passes(request("POST", "/x", { ...json, "content-length": "ten" }))).toBe(false)
    expect(passes(request("POST", "/x", json))).toBe(false)
    expect(passes(request("POST", "/x", { "content-type": "text/plain", "content-length": "2" }))).toBe(false)
    expect(passes(request("POST", "/x?x=1", { ...json, "content-length": "2" }))).toBe(false)
  })

  it("RequestCheck reads a body as jsonBody does; Authentication reads none", () => {
    const readsBody = twins.get(RequestCheck)!.readsBody!
    expect(readsBody(Buffer.from(`{"config":{"a":1}}`))).toEqual(Either.right({ config: { a: 1 } }))
    expect(readsBody(Buffer.from(""))).toEqual(Either.right(null))
    expect(Either.isLeft(readsBody(Buffer.from("{")))).toBe(true)
    expect(Either.isLeft(readsBody(Buffer.from([0xff])))).toBe(true)
    expect(twins.get(Authentication)!.readsBody).toBeUndefined()
  })
})
