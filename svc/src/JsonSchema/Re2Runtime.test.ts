import { describe, expect, it } from "@effect/vitest"
import { createRequire } from "node:module"
import { livePatternOverhead, maxLivePatternSize } from "./Limits.js"
import * as Re2Runtime from "./Re2Runtime.js"

describe("Schemas/Re2Runtime", () => {
  it("keeps a bounded number of compiled expressions alive, compiling again those it dropped", () => {
    const holders = Array.from({ length: 1_500 }, () => ({}))
    holders.forEach((holder, i) => Re2Runtime.expression(holder, `^x${i}y$`, 4))
    const live = Re2Runtime.liveExpressions()
    expect(live.size).toBeLessThanOrEqual(maxLivePatternSize)
    expect(live.count).toBe(Math.floor(maxLivePatternSize / (4 + livePatternOverhead)))
    expect(Re2Runtime.test(holders[0]!, "^x0y$", 4, "x0y")).toBe(true)
    expect(Re2Runtime.test(holders[1_499]!, "^x1499y$", 4, "x1499")).toBe(false)
  })

  it("replaces the module when its heap runs out, and goes on", () => {
    const holder = {}
    expect(Re2Runtime.test(holder, "^ok$", 4, "ok")).toBe(true)
    expect(() => Re2Runtime.expression({}, "[\\p{L}\\d]{1000}x", 102_001)).toThrow(WebAssembly.RuntimeError)
    expect(Re2Runtime.liveExpressions()).toEqual({ count: 0, size: 0 })
    expect(Re2Runtime.test(holder, "^ok$", 4, "ok")).toBe(true)
    expect(Re2Runtime.liveExpressions().count).toBe(1)
  })

  it("recovers a module that can no longer allocate anything", () => {
    const { RE2 } = createRequire(import.meta.url)("re2-wasm")
    const leaked: Array<unknown> = []
    expect(() => {
      for (;;) leaked.push(new RE2(`^${leaked.length}$`, "u"))
    }).toThrow(WebAssembly.RuntimeError)
    expect(Re2Runtime.test({}, "^fresh$", 7, "fresh")).toBe(true)
  })
})
