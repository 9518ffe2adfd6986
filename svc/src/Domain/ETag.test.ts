import { describe, expect, it } from "@effect/vitest"
import {
  acceptedApplicationTags,
  acceptedConfigurationVersions,
  applicationETag,
  configurationETag,
  ifNoneMatch,
  parseEntityTags,
  renderedETag
} from "./ETag.js"

describe("ETag", () => {
  it("a configuration's tag is its version; an application's adds a digest of its configuration ids", () => {
    expect(configurationETag(3)).toBe(`"3"`)
    expect(applicationETag(2, "d41d8cd98f00")).toBe(`"2-d41d8cd98f00"`)
    expect(renderedETag({ version: 3 })).toBe(configurationETag(3))
    expect(renderedETag({ version: 2, digest: "d41d8cd98f00" })).toBe(applicationETag(2, "d41d8cd98f00"))
  })

  it("parses lists, weak tags and *", () => {
    expect(parseEntityTags(`"1", W/"2" ,"3"`)).toEqual([`"1"`, `W/"2"`, `"3"`])
    expect(parseEntityTags(" * ")).toEqual(["*"])
    expect(parseEntityTags("garbage")).toEqual([])
  })

  it("If-Match compares strongly, If-None-Match weakly", () => {
    expect(ifNoneMatch(`W/"2"`, `"2"`)).toBe(true)
    expect(ifNoneMatch(`"3"`, `"2"`)).toBe(false)
    expect(ifNoneMatch("*", `"2"`)).toBe(true)
  })

  it("the preconditions a repository checks", () => {
    expect(acceptedConfigurationVersions(`"4", "5", W/"6", "x"`)).toEqual([4, 5])
    expect(acceptedConfigurationVersions("*")).toBe("any")
    expect(acceptedApplicationTags(`"4-0123456789ab", "4"`)).toEqual([{ version: 4, digest: "0123456789ab" }])
    expect(acceptedApplicationTags("*")).toBe("any")
  })
})
