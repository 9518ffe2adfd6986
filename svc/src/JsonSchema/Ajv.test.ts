import { describe, expect, it } from "@effect/vitest"
import { makeAjv, metaSchemaProblem } from "./Ajv.js"
import { metered } from "./Budget.js"
import { costKeyword } from "./CostKeyword.js"

describe("Schemas/Ajv", () => {
  it("is strict about what a schema says, not about its style", () => {
    const ajv = () => makeAjv("2020-12", true)
    expect(() => ajv().compile({ typo: 1 })).toThrow(/unknown keyword: "typo"/)
    expect(() => ajv().compile({ then: {} })).toThrow(/"then" without "if" is ignored/)
    expect(() => ajv().compile({ pattern: "^a", required: ["x"], items: [{}] })).toThrow(/items value must be/)
    expect(() => ajv().compile({ pattern: "^a", required: ["x"], properties: { y: {} } })).not.toThrow()
  })

  it("treats formats as annotations", () => {
    const validate = makeAjv("2020-12", true).compile({ format: "email" })
    expect(metered(() => validate("not an email"))).toBe(true)
    expect(() => makeAjv("2020-12", true).compile({ format: "no-such-format" })).not.toThrow()
  })

  it("knows $anchor in draft 2020-12, and no schema but the one it compiles", () => {
    const validate = makeAjv("2020-12", true).compile({ $defs: { s: { $anchor: "s", type: "string" } }, $ref: "#s" })
    expect(metered(() => [validate("x"), validate(1)])).toEqual([true, false])
    expect(() => makeAjv("draft-07", true).compile({ $ref: "http://json-schema.org/draft-07/schema#" }))
      .toThrow(/can't resolve reference/)
  })

  it("evaluates the cost keyword first in every subschema, and its own uniqueItems", () => {
    const ajv = makeAjv("draft-07", false)
    expect(ajv.RULES.rules[0]!.rules[0]!.keyword).toBe(costKeyword)
    expect(ajv.RULES.all.uniqueItems).toMatchObject({ definition: { validate: expect.any(Function) } })
  })

  it("names what the meta-schema finds wrong", () => {
    expect(metaSchemaProblem({ type: "object" }, "2020-12")).toBeUndefined()
    expect(metaSchemaProblem(true, "draft-07")).toBeUndefined()
    expect(metaSchemaProblem({ minItems: "2" }, "2020-12")).toBe("#/minItems must be an integer")
    expect(metaSchemaProblem({ properties: { a: { required: "a" } } }, "draft-07"))
      .toBe("#/properties/a/required must be an array")
  })
})
