import { describe, expect, it } from "@effect/vitest"
import { Api } from "./Api.js"
import { routesOf } from "./Edge/Routes.js"
import {
  applicationsPageUrl,
  applicationUrl,
  configurationUrl,
  schemaUrl,
  validationUrl,
  versionsPageUrl
} from "./Urls.js"

const id = "01ARZ3NDEKTSV4RRFFQ69G5FAV"

describe("Urls", () => {
  it("names each resource under /api/v1", () => {
    expect(applicationUrl(id)).toBe(`/api/v1/applications/${id}`)
    expect(schemaUrl(id)).toBe(`/api/v1/applications/${id}/schema`)
    expect(validationUrl(id)).toBe(`/api/v1/applications/${id}/validate`)
    expect(configurationUrl(id)).toBe(`/api/v1/configurations/${id}`)
  })

  it("names pages with their limit and keyset", () => {
    expect(applicationsPageUrl(10, id)).toBe(`/api/v1/applications?limit=10&after=${id}`)
    expect(versionsPageUrl(id, 10, 41)).toBe(`/api/v1/configurations/${id}/versions?limit=10&before=41`)
  })

  it("each resource URL is the path of the API's route for it", () => {
    const routes = routesOf(Api)
    const routed = (url: string) => routes.filter((route) => route.pattern.test(url)).map((route) => route.path)
    expect(routed(applicationUrl(id))).toContain("/api/v1/applications/:id")
    expect(routed(schemaUrl(id))).toContain("/api/v1/applications/:id/schema")
    expect(routed(validationUrl(id))).toContain("/api/v1/applications/:id/validate")
    expect(routed(configurationUrl(id))).toContain("/api/v1/configurations/:id")
  })
})
