import { describe, expect, it } from "@effect/vitest"
import { makeAjv } from "./Ajv.js"
import { metered, spentByLast } from "./Budget.js"
import { costKeyword, withCosts } from "./CostKeyword.js"

const spentOn = (schema: unknown, data: unknown) => {
  const validate = makeAjv("2020-12", true).compile(withCosts(schema) as object)
  metered(() => validate(data))
  return spentByLast()
}

describe("Schemas/CostKeyword", () => {
  it("puts its cost in every subschema object, and nowhere else", () => {
    const costed = withCosts({
      title: "ignored",
      properties: { a: { type: "string", maxLength: 3 }, b: true },
      items: [{ enum: [1, { x: 2 }] }],
      $defs: { d: { required: ["a", "b"] } },
      const: { properties: {} },
      default: {}
    }) as Record<string, any>
    expect(costed[costKeyword]).toBe(1 + 2 + 1 + 2)
    expect(costed.properties.a).toEqual({ type: "string", maxLength: 3, [costKeyword]: 3 })
    expect(costed.properties.b).toBe(true)
    expect(costed.items[0][costKeyword]).toBe(1 + 4)
    expect(costed.$defs.d[costKeyword]).toBe(1 + 3)
    expect(costed.const).toEqual({ properties: {} })
    expect(costed.default).toEqual({})
    expect(withCosts(false)).toBe(false)
  })

  it("charges each subschema each time it applies, and long strings and wide objects by their size", () => {
    expect(spentOn({ items: { type: "number" } }, [1, 2, 3])).toBe(2 + 3 * 2)
    expect(spentOn({ items: { maxLength: 1_000 } }, ["x".repeat(800)])).toBe(2 + 2 + 100)
    expect(spentOn({ additionalProperties: { type: "number" } }, { a: 1, b: 2 })).toBe(2 + 2 + 2 * 2)
    expect(spentOn({ enum: [{ a: 1 }] }, { a: 1, b: 2, c: 3 })).toBe(4 + 3 * 4)
  })

  it("charges where the validator goes, through references and their recursion", () => {
    const tree = { $defs: { node: { properties: { kids: { items: { $ref: "#/$defs/node" } } } } }, $ref: "#/$defs/node" }
    const spentSmall = spentOn(tree, { kids: [{}] })
    const spentLarge = spentOn(tree, { kids: [{ kids: [{}, {}] }, {}] })
    expect(spentLarge).toBeGreaterThan(spentSmall)
    expect(spentOn(tree, { kids: Array(100).fill({}) })).toBeGreaterThan(100 * 4)
  })
})
