import { describe, expect, it } from "@effect/vitest"
import { patternSize } from "./PatternSize.js"

describe("Schemas/PatternSize", () => {
  it("counts literals, anchors and operators one each", () => {
    expect(patternSize("")).toBe(0)
    expect(patternSize("^abc$")).toBe(5)
    expect(patternSize("a|b")).toBe(3)
    expect(patternSize("a+b*")).toBe(4)
  })

  it("counts classes, escapes and Unicode properties by what they cover", () => {
    expect(patternSize("\\d")).toBe(1)
    expect(patternSize("\\w")).toBe(4)
    expect(patternSize(".")).toBe(8)
    expect(patternSize("[a-z0-9]")).toBe(7)
    expect(patternSize("[^a]")).toBe(10)
    expect(patternSize("\\p{L}")).toBe(100)
    expect(patternSize("[\\p{L}\\d]")).toBe(102)
  })

  it("multiplies what counted repetitions repeat, nested ones too", () => {
    expect(patternSize("a{10}")).toBe(10)
    expect(patternSize("a{2,5}")).toBe(5)
    expect(patternSize("a{3,}")).toBe(4)
    expect(patternSize("(ab){10}")).toBe(30)
    expect(patternSize("((a){10}){10}")).toBe(210)
    expect(patternSize("\\w{1000}")).toBe(4_000)
    expect(patternSize("[\\p{L}\\d]{1000}x")).toBe(102_001)
  })

  it("skips group prefixes and survives unbalanced or odd patterns", () => {
    expect(patternSize("(?:a)")).toBe(patternSize("(a)"))
    expect(patternSize("(?<year>\\d{4})")).toBe(5)
    expect(patternSize("(a")).toBe(1)
    expect(patternSize("a)")).toBe(2)
    expect(patternSize("{2}")).toBe(0)
    expect(patternSize("a{x}")).toBe(4)
    expect(patternSize("\\")).toBe(1)
  })
})
