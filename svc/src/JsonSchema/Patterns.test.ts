import { describe, expect, it } from "@effect/vitest"
import { BudgetExceeded, enter, metered, spentByLast } from "./Budget.js"
import { maxPatterns } from "./Limits.js"
import { Pattern, patternEngine } from "./Patterns.js"

const thrown = (f: () => unknown): unknown => {
  try {
    f()
  } catch (e) {
    return e
  }
  throw new Error("did not throw")
}

describe("Schemas/Patterns", () => {
  it("compiles each pattern once per schema, on RE2", () => {
    const engine = patternEngine()
    const pattern = engine("^a+$", "u") as Pattern
    expect(engine("^a+$", "u")).toBe(pattern)
    expect(String(pattern)).toBe("/^a+$/u")
    expect(metered(() => [pattern.test("aaa"), pattern.test("ab")])).toEqual([true, false])
    expect(metered(() => pattern.test("a".repeat(10_000) + "!"))).toBe(false)
  })

  it("refuses what RE2 cannot run, and too many or too large patterns, saying which", () => {
    expect(() => patternEngine()("(a)\\1", "u")).toThrow(/pattern "\(a\)\\\\1" is not a regular expression .*RE2/)
    expect(() => patternEngine()("x{1000}{1000}", "u")).toThrow(/too large for the linear-time engine \(.*1,000,000 steps/)
    const engine = patternEngine()
    for (let i = 0; i < maxPatterns; i++) engine(`^${i}$`, "u")
    expect(() => engine("^one-more$", "u")).toThrow(`more than ${maxPatterns} different patterns`)
    const large = patternEngine()
    for (let i = 0; i < 10; i++) large(`\\w{${240 + i}}`, "u")
    expect(() => large("\\w{250}", "u")).toThrow(/the patterns together are too large .*10,000 steps/)
  })

  it("refuses text too long for the pattern's size, where the check is, and meters the rest", () => {
    const pattern = patternEngine()("(a|b)*a(a|b){20}", "u") as Pattern
    expect(pattern.maxText).toBe(1_162)
    const error = thrown(() =>
      metered(() => {
        enter("/texts", "/3", 0)
        pattern.test("a".repeat(1_163))
      })
    )
    expect(error).toEqual(
      new BudgetExceeded(
        "patternText",
        "/texts/3",
        "is too long to check against the pattern \"(a|b)*a(a|b){20}\": at most 1,162 characters"
      )
    )
    metered(() => pattern.test("ab".repeat(320)))
    expect(spentByLast()).toBe(8 + 80)
  })
})
