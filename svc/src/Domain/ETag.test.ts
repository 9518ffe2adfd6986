import { describe, expect, it } from "@effect/vitest"
import { ifNoneMatch, parseEntityTags, preconditionOf } from "./ETag.js"

describe("ETag", () => {
  it("parses lists, weak tags and *", () => {
    expect(parseEntityTags(`"1", W/"2" ,"3"`)).toEqual([`"1"`, `W/"2"`, `"3"`])
    expect(parseEntityTags(" * ")).toEqual(["*"])
    expect(parseEntityTags("garbage")).toEqual([])
  })

  it("If-None-Match compares weakly", () => {
    expect(ifNoneMatch(`W/"2"`, `"2"`)).toBe(true)
    expect(ifNoneMatch(`"3"`, `"2"`)).toBe(false)
    expect(ifNoneMatch("*", `"2"`)).toBe(true)
  })

  it("If-Match is the strong tags it names, unquoted, or any", () => {
    expect(preconditionOf(undefined)).toBe("any")
    expect(preconditionOf("*")).toBe("any")
    expect(preconditionOf(`"4", "5", W/"6", "x"`)).toEqual(["4", "5", "x"])
    expect(preconditionOf(`"4-0123456789ab", "4"`)).toEqual(["4-0123456789ab", "4"])
    expect(preconditionOf("garbage")).toEqual([])
    expect(preconditionOf(`"1,2"`)).toEqual(["1,2"])
  })
})
