import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import { compileSchema, validate } from "./Validator.js"

const issues = (schema: unknown, config: unknown) => {
  const compiled = compileSchema(schema)
  if (Either.isLeft(compiled)) throw new Error(compiled.left.message)
  return validate(compiled.right, config).errors.map(({ message, path }) => `${path} ${message}`)
}

describe("Schemas/Issues", () => {
  it("says in plain words what each keyword wants", () => {
    expect(issues({ type: ["string", "null"] }, 1)).toEqual([" must be a string or null"])
    expect(issues({ enum: ["a", 1, { b: 2 }] }, "x")).toEqual([" must be one of \"a\", 1, {\"b\":2}"])
    expect(issues({ enum: [...Array(12).keys()] }, "x")).toEqual([
      " must be one of 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … (12 in all)"
    ])
    expect(issues({ const: "on" }, "off")).toEqual([" must be \"on\""])
    expect(issues({ minLength: 2, maxLength: 0 }, "x")).toEqual([
      " must be at most 0 characters long",
      " must be at least 2 characters long"
    ])
    expect(issues({ minimum: 3, exclusiveMaximum: 0, multipleOf: 2 }, 1)).toEqual([
      " must be at least 3",
      " must be less than 0",
      " must be a multiple of 2"
    ])
    expect(issues({ minItems: 2, maxItems: 0 }, [1])).toEqual([" must have at most 0 items", " must have at least 2 items"])
    expect(issues({ minProperties: 2 }, { a: 1 })).toEqual([" must have at least 2 properties"])
    expect(issues({ contains: { type: "string" }, minContains: 2 }, ["a", 1])).toEqual([
      "/1 must be a string",
      " must have at least 2 items matching the \"contains\" schema"
    ])
    expect(issues({ dependentRequired: { a: ["b"] } }, { a: 1 })).toEqual([
      " must have the property \"b\" when it has \"a\""
    ])
    expect(issues({ propertyNames: { maxLength: 1 } }, { ab: 1 })).toEqual([
      " must be at most 1 character long",
      " has a property name that is not allowed: \"ab\""
    ])
  })

  it("explains combinations, and points at a property that is not allowed", () => {
    expect(issues({ oneOf: [{}, true] }, 1)).toEqual([" must match exactly one of the \"oneOf\" schemas, but matches 2"])
    expect(issues({ not: {} }, 1)).toEqual([" must not match the \"not\" schema"])
    expect(issues({ if: { type: "string" }, then: { minLength: 2 } }, "x")).toEqual([
      " must be at least 2 characters long",
      " must match the \"then\" schema"
    ])
    expect(issues({ properties: { a: false } }, { a: 1 })).toEqual(["/a is not allowed here"])
    expect(issues({ unevaluatedProperties: false }, { "x/y": 1 })).toEqual(["/x~1y is not an allowed property"])
    expect(issues({ anyOf: [{ type: "string" }, { type: "number" }] }, null)).toEqual([
      " must be a string",
      " must be a number",
      " must match at least one of the \"anyOf\" schemas"
    ])
  })
})
