import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { ApplicationPath } from "../Applications/Api.js"
import { ConfigurationPath } from "../Configurations/Api.js"
import { pathMatcher, rememberedLength, rememberedPaths, routeMatcher } from "./Matcher.js"

const id = "01ARZ3NDEKTSV4RRFFQ69G5FAV"

describe("pathMatcher", () => {
  const configuration = pathMatcher("/api/v1/configurations/:id", ConfigurationPath)
  const validation = pathMatcher("/api/v1/applications/:id/validate", ApplicationPath)

  it("takes the route's paths with the params its path schema decodes, as decoded", () => {
    expect(configuration(`/api/v1/configurations/${id}`)).toEqual({ id })
    expect(validation(`/api/v1/applications/${id}/validate`)).toEqual({ id })
  })

  it("takes only a param's canonical spelling: what encoding its decoded value gives back", () => {
    expect(configuration(`/api/v1/configurations/${id.toLowerCase()}`)).toBeUndefined()
    expect(configuration(`/api/v1/configurations/${id.slice(0, 10)}${id.slice(10).toLowerCase()}`)).toBeUndefined()
    const version = pathMatcher("/versions/:version", Schema.Struct({ version: Schema.NumberFromString }))
    expect(version("/versions/41")).toEqual({ version: 41 })
    expect(version("/versions/041")).toBeUndefined()
  })

  it("refuses every other path: other routes, extra or missing segments, encodings, what the schema refuses", () => {
    for (
      const path of [
        `/api/v1/applications/${id}`,
        `/api/v1/configurations/${id}/`,
        `/api/v1/configurations/${id}/versions`,
        `/api//v1/configurations/${id}`,
        "/api/v1/configurations/",
        `/api/v1/configurations/%30${id.slice(1)}`,
        `/api/v1/configurations/${id}#x`,
        "/api/v1/configurations/not-a-ulid",
        `/api/v1/configurations/${id.slice(1)}`,
        `/api/v1/applications/${id}/validate/`,
        `/api/v1/applications/${id}/validatex`
      ]
    ) {
      expect([path, configuration(path) ?? validation(path)]).toEqual([path, undefined])
    }
  })

  it("without a path schema takes its params as they are; a param that is not a whole segment is refused", () => {
    expect(pathMatcher("/a/:x/b", undefined)("/a/anything/b")).toEqual({ x: "anything" })
    expect(pathMatcher("/health/ready", undefined)("/health/ready")).toEqual({})
    expect(() => pathMatcher("/a/x-:y", undefined)).toThrow("/a/x-:y: the parameter y is not a whole segment")
    expect(() => pathMatcher("/a/:y.json", undefined)).toThrow("not a whole segment")
    expect(() => pathMatcher("/a/:y?", undefined)).toThrow("not a whole segment")
  })
})

describe("routeMatcher", () => {
  const counted = () => {
    const calls: Array<string> = []
    const match = routeMatcher([
      { method: "GET", match: (path) => (calls.push(path), path.startsWith("/a/") ? `a ${path}` : undefined) },
      { method: "GET", match: (path) => (path.startsWith("/b/") ? `b ${path}` : undefined) },
      { method: "POST", match: (path) => (path === "/c" ? "c" : undefined) }
    ])
    return { calls, match }
  }

  it("asks the routes of the request's method, in order, with the URL's path before any query", () => {
    const { match } = counted()
    expect(match("GET", "/a/1")).toBe("a /a/1")
    expect(match("GET", "/b/1?x=1")).toBe("b /b/1")
    expect(match("POST", "/c")).toBe("c")
    expect(match("POST", "/a/1")).toBeUndefined()
    expect(match("HEAD", "/a/1")).toBeUndefined()
    expect(match("GET", "/d")).toBeUndefined()
  })

  it("remembers what it found for a path, taken or not, up to its bounds", () => {
    const { calls, match } = counted()
    for (let i = 0; i < 3; i++) {
      expect(match("GET", "/a/1")).toBe("a /a/1")
      expect(match("GET", "/a/1?wait=1")).toBe("a /a/1")
      expect(match("GET", "/d")).toBeUndefined()
    }
    expect(calls).toEqual(["/a/1", "/d"])
    const long = `/a/${"x".repeat(rememberedLength)}`
    match("GET", long)
    match("GET", long)
    expect(calls.filter((path) => path === long)).toHaveLength(2)
    for (let i = 0; i < rememberedPaths; i++) match("GET", `/a/${i}`)
    calls.length = 0
    match("GET", "/a/1")
    expect(calls).toEqual(["/a/1"])
  })
})
