import { describe, expect, it } from "@effect/vitest"
import { idIn } from "./Edge/Routes.js"
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

  it("each resource URL gives back its id through idIn, and nothing else does", () => {
    for (const url of [applicationUrl, configurationUrl, validationUrl]) {
      expect(idIn(url)(url(id))).toBe(id)
      expect(idIn(url)(`${url(id)}?x=1`)).toBeUndefined()
    }
    expect(idIn(applicationUrl)(configurationUrl(id))).toBeUndefined()
  })
})
