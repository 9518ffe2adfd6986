import { describe, expect, it } from "@effect/vitest"
import { jsonProblem, maxJsonDepth, unstorableText } from "./Json.js"

const nest = (depth: number): unknown => {
  let value: unknown = 1
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

describe("Json", () => {
  it("ordinary JSON has no problem", () => {
    expect(jsonProblem({ a: 1, b: [true, null, "s", { c: -1.5e10 }], "ключ": "✓ 🚀" })).toBeUndefined()
    expect(jsonProblem(nest(maxJsonDepth))).toBeUndefined()
  })

  it("names the path of NUL, lone surrogates, infinite numbers and excessive depth", () => {
    expect(jsonProblem({ a: { b: "x\u0000" } })).toMatch(/^\.a\.b: must not contain NUL/)
    expect(jsonProblem({ list: [1, "\ud800"] })).toMatch(/^\.list\[1\]: must be valid Unicode/)
    expect(jsonProblem({ ["k\u0000"]: 1 })).toMatch(/key .* must not contain NUL/)
    expect(jsonProblem({ n: JSON.parse("1e400") })).toMatch(/^\.n: number out of range/)
    expect(jsonProblem(nest(maxJsonDepth + 1))).toMatch(/nested deeper than 100 levels/)
  })

  it("walks 10,000 levels without overflowing the stack", () => {
    expect(jsonProblem(JSON.parse("[".repeat(10_000) + "]".repeat(10_000)))).toMatch(/nested deeper/)
  })

  it("unstorableText accepts valid text and surrogate pairs", () => {
    expect(unstorableText("plain")).toBeUndefined()
    expect(unstorableText("😀")).toBeUndefined()
    expect(unstorableText("\udc00")).toBeDefined()
  })
})
