import { describe, expect, it } from "@effect/vitest"
import { canonicalJson } from "./CanonicalJson.js"

describe("Schemas/CanonicalJson", () => {
  it("gives equal JSON values equal text, whatever the order of their keys", () => {
    expect(canonicalJson({ b: [1, { d: null, c: "x" }], a: true })).toBe("{\"a\":true,\"b\":[1,{\"c\":\"x\",\"d\":null}]}")
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }))
    expect(canonicalJson(1.0)).toBe(canonicalJson(1))
    expect(canonicalJson(-0)).toBe(canonicalJson(0))
  })

  it("tells apart values that only look alike", () => {
    expect(canonicalJson("1")).not.toBe(canonicalJson(1))
    expect(canonicalJson([])).not.toBe(canonicalJson({}))
    expect(canonicalJson({ "a\"": 1 })).not.toBe(canonicalJson({ "a": "1" }))
  })

  it("shows every value to the visitor", () => {
    const seen: Array<unknown> = []
    canonicalJson({ a: [1, "x"], b: {} }, (value) => seen.push(value))
    expect(seen).toHaveLength(5)
  })
})
