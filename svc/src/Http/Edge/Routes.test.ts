import { describe, expect, it } from "@effect/vitest"
import { Api } from "../Api.js"
import { allowedMethods, routesOf } from "./Routes.js"

describe("Routes", () => {
  const allowed = allowedMethods(routesOf(Api))

  it("every operation of the API is a route", () => {
    const routes = routesOf(Api).map((route) => `${route.method} ${route.path}`)
    expect(routes).toContain("POST /api/v1/applications")
    expect(routes).toContain("GET /api/v1/configurations/:id")
    expect(routes).toContain("GET /health/ready")
  })

  it("a known path's methods, GET with HEAD; nothing for an unknown path", () => {
    expect(allowed("/api/v1/applications")).toEqual(["GET", "HEAD", "POST"])
    expect(allowed("/api/v1/applications/ANY")).toEqual(["DELETE", "GET", "HEAD", "PUT"])
    expect(allowed("/api/v1/applications/ANY/configurations")).toEqual(["GET", "HEAD"])
    expect(allowed("/api/v1/applications/a/b/c")).toEqual([])
    expect(allowed("/api/v1/nowhere")).toEqual([])
    expect(allowed("/api/v1/applications/")).toEqual([])
  })
})
