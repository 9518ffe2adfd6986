import { OpenApi } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Api } from "./Api.js"

describe("Api", () => {
  const spec = OpenApi.fromApi(Api)
  const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, { responses: Record<string, unknown> }>)
      .filter(([method]) => ["get", "post", "put", "delete"].includes(method))
      .map(([method, operation]) => ({ method: method.toUpperCase(), path, statuses: Object.keys(operation.responses) }))
  )
  const find = (method: string, path: string) => operations.find((o) => o.method === method && o.path === path)

  it("has exactly the SPEC's endpoints plus health", () => {
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual([
      "DELETE /api/v1/applications/{id}",
      "DELETE /api/v1/applications/{id}/schema",
      "DELETE /api/v1/configurations/{id}",
      "GET /api/v1/applications",
      "GET /api/v1/applications/by-name/{name}",
      "GET /api/v1/applications/by-name/{name}/configurations/{configuration_name}",
      "GET /api/v1/applications/{id}",
      "GET /api/v1/applications/{id}/changes",
      "GET /api/v1/applications/{id}/configurations",
      "GET /api/v1/applications/{id}/schema",
      "GET /api/v1/applications/{id}/watch",
      "GET /api/v1/configurations/{id}",
      "GET /api/v1/configurations/{id}/versions",
      "GET /api/v1/configurations/{id}/versions/{version}",
      "GET /api/v1/configurations/{id}/versions/{version}/diff",
      "GET /health/live",
      "GET /health/ready",
      "POST /api/v1/applications",
      "POST /api/v1/applications/{id}/validate",
      "POST /api/v1/configurations",
      "POST /api/v1/configurations/{id}/versions/{version}/restore",
      "PUT /api/v1/applications/{id}",
      "PUT /api/v1/applications/{id}/schema",
      "PUT /api/v1/configurations/{id}"
    ])
  })

  it("documents the SPEC's status codes", () => {
    expect(find("POST", "/api/v1/applications")?.statuses).toEqual(expect.arrayContaining(["201", "400", "409", "413", "503"]))
    expect(find("GET", "/api/v1/applications/{id}")?.statuses).toEqual(expect.arrayContaining(["200", "400", "404", "503"]))
    expect(find("PUT", "/api/v1/applications/{id}/schema")?.statuses)
      .toEqual(expect.arrayContaining(["200", "201", "400", "404", "409", "412"]))
    expect(find("PUT", "/api/v1/configurations/{id}")?.statuses).toEqual(expect.arrayContaining(["422"]))
    expect(find("POST", "/api/v1/applications/{id}/validate")?.statuses).toEqual(expect.arrayContaining(["200", "404"]))
    expect(find("DELETE", "/api/v1/applications/{id}")?.statuses).toEqual(expect.arrayContaining(["204", "404", "409"]))
    expect(find("POST", "/api/v1/configurations")?.statuses).toEqual(expect.arrayContaining(["201", "400", "409"]))
    expect(find("PUT", "/api/v1/configurations/{id}")?.statuses).toEqual(expect.arrayContaining(["200", "400", "404", "409"]))
    const version = "/api/v1/configurations/{id}/versions/{version}"
    const versions = find("GET", "/api/v1/configurations/{id}/versions")
    expect(versions?.statuses).toEqual(expect.arrayContaining(["200", "400", "404"]))
    expect(find("GET", version)?.statuses).toEqual(expect.arrayContaining(["200", "400", "404", "410"]))
    expect(find("GET", `${version}/diff`)?.statuses).toEqual(expect.arrayContaining(["200", "400", "404", "410"]))
    expect(find("POST", `${version}/restore`)?.statuses).toEqual(
      expect.arrayContaining(["200", "201", "400", "404", "409", "410", "412"])
    )
    expect(find("GET", "/api/v1/applications/{id}/changes")?.statuses).toEqual(
      expect.arrayContaining(["200", "400", "404", "410", "503"])
    )
    expect(find("GET", "/health/ready")?.statuses).toEqual(expect.arrayContaining(["200", "503"]))
  })

  it("is an OpenAPI 3.1 document with the service's title", () => {
    expect(spec.openapi).toBe("3.1.0")
    expect(spec.info.title).toBe("Config Service")
  })
})
