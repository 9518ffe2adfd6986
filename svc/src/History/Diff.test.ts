import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import jsonPatch from "fast-json-patch"
import { configDiff } from "./Diff.js"

type Config = Record<string, unknown>

const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("", "a/b", "~", "~1", "constructor", "toString", "0"))
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", maxDepth: 4 },
    fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null)
    ),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(key, tie("value"), { maxKeys: 5 })
  )
}))
const config = fc.dictionary(key, value, { maxKeys: 6 }).map((c) => JSON.parse(JSON.stringify(c)) as Config)

/** `patch` applied to a copy of `from`, checked against RFC 6902 as it goes. */
const apply = (from: Config, patch: ReadonlyArray<unknown>) =>
  jsonPatch.applyPatch(structuredClone(from), patch as Array<jsonPatch.Operation>, true, true, false).newDocument

describe("configDiff", () => {
  it("turns any config into any other, keys such as a/b and ~ included", () => {
    fc.assert(fc.property(config, config, (from, to) => {
      expect(apply(from, configDiff(from, to))).toEqual(to)
    }), { numRuns: 500 })
  })

  it("is empty between equal configs, and names keys as RFC 6901 pointers", () => {
    expect(configDiff({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([])
    expect(configDiff({ "a/b": 1, "c~d": 2 }, { "a/b": 3 })).toEqual([
      { op: "remove", path: "/c~0d" },
      { op: "replace", path: "/a~1b", value: 3 }
    ])
  })

  it("a __proto__ key, an own key of a parsed config, is a key like any other", () => {
    const from = JSON.parse(`{"__proto__":{"a":1},"b":1}`) as Config
    const to = JSON.parse(`{"__proto__":{"a":2}}`) as Config
    expect(configDiff(from, to)).toEqual([
      { op: "remove", path: "/b" },
      { op: "replace", path: "/__proto__/a", value: 2 }
    ])
    expect(configDiff({}, to)).toEqual([{ op: "add", path: "/__proto__", value: { a: 2 } }])
  })

  it("compares long arrays index by index, in linear time", () => {
    const from = { list: Array.from({ length: 100_000 }, (_, i) => i) }
    const to = { list: Array.from({ length: 100_000 }, (_, i) => i + 1) }
    const started = performance.now()
    const patch = configDiff(from, to)
    expect(performance.now() - started).toBeLessThan(5_000)
    expect(patch).toHaveLength(100_000)
    expect(apply(from, patch)).toEqual(to)
  })
})
