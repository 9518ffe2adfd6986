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
    const problem = (path: Array<string | number>, message: RegExp) => ({
      path,
      message: expect.stringMatching(message)
    })
    expect(jsonProblem({ a: { b: "x\u0000" } })).toEqual(problem(["a", "b"], /^must not contain NUL/))
    expect(jsonProblem({ list: [1, "\ud800"] })).toEqual(problem(["list", 1], /^must be valid Unicode/))
    expect(jsonProblem({ ok: { ["k\u0000"]: 1 } })).toEqual(problem(["ok"], /^key "k\\u0000" must not contain NUL/))
    expect(jsonProblem({ n: JSON.parse("1e400") })).toEqual(problem(["n"], /^number out of range/))
    expect(jsonProblem("\u0000")).toEqual({ path: [], message: expect.stringMatching(/NUL/) })
  })

  it("reports nesting deeper than the limit at the root, not along a path as long as the nesting", () => {
    expect(jsonProblem({ x: nest(maxJsonDepth) })).toEqual({ path: [], message: "nested deeper than 100 levels" })
  })

  it("walks 10,000 levels without overflowing the stack", () => {
    expect(jsonProblem(JSON.parse("[".repeat(10_000) + "]".repeat(10_000)))?.message).toMatch(/nested deeper/)
  })

  it("unstorableText accepts valid text and surrogate pairs", () => {
    expect(unstorableText("plain")).toBeUndefined()
    expect(unstorableText("😀")).toBeUndefined()
    expect(unstorableText("\udc00")).toBeDefined()
  })
})
