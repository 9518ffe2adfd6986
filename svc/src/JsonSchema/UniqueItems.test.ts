import { describe, expect, it } from "@effect/vitest"
import { makeAjv } from "./Ajv.js"
import { metered, spentByLast } from "./Budget.js"

const unique = makeAjv("2020-12", true).compile({ uniqueItems: true })
const check = (data: Array<unknown>) => metered(() => unique(data) ? null : unique.errors?.map((error) => error.message))

describe("Schemas/UniqueItems", () => {
  it("finds equal items as JSON Schema defines equality", () => {
    expect(check([1, 1.0])).toEqual(["must not have duplicate items (items 0 and 1 are equal)"])
    expect(check([{ a: 1, b: [2] }, "x", { b: [2], a: 1 }])).toEqual([
      "must not have duplicate items (items 0 and 2 are equal)"
    ])
    expect(check([0, -0])).not.toBeNull()
    expect(check([[1, 2], [1, 2]])).not.toBeNull()
  })

  it("tells apart items that only look alike", () => {
    expect(check(["1", 1, true, "true", null, "null", [], {}, "{}", "[]", [1, 2], [2, 1], { a: 1 }, { a: "1" }])).toBeNull()
  })

  it("passes when the keyword is false, whatever the items", () => {
    expect(makeAjv("2020-12", true).compile({ uniqueItems: false })([1, 1])).toBe(true)
  })

  it("charges the meter for every value it reads", () => {
    check(Array.from({ length: 1_000 }, (_, i) => ({ id: i })))
    expect(spentByLast()).toBeGreaterThan(1_000 * 4)
  })
})
