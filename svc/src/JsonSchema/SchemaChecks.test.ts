import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import { costKeyword } from "./CostKeyword.js"
import { checkSchema } from "./SchemaChecks.js"

const problem = (schema: unknown, byteLength?: number) => {
  const result = checkSchema(schema, byteLength)
  return Either.isLeft(result) ? result.left : undefined
}

const nest = (depth: number) => {
  let schema: unknown = {}
  for (let i = 1; i < depth; i++) schema = { not: schema }
  return schema
}

describe("Schemas/SchemaChecks", () => {
  it("accepts objects and booleans, with their draft", () => {
    expect(checkSchema(false)).toEqual(Either.right("2020-12"))
    expect(checkSchema({ $schema: "http://json-schema.org/draft-07/schema#" })).toEqual(Either.right("draft-07"))
    expect(problem("{}")).toBe("a schema must be a JSON object or a boolean, not a string")
  })

  it("measures size as sent when told, else as compact JSON", () => {
    expect(problem({}, 65_537)).toBe("the schema is 65,537 bytes; at most 65,536 are accepted")
    expect(problem({}, 65_536)).toBeUndefined()
    expect(problem({ description: "é".repeat(32_760) })).toBe("the schema is 65,538 bytes; at most 65,536 are accepted")
    expect(problem({ description: "é".repeat(32_760) }, 60_000)).toBeUndefined()
  })

  it("allows 32 levels of nesting, not 33, and at most 1,000 subschemas", () => {
    expect(problem(nest(32))).toBeUndefined()
    expect(problem(nest(33))).toBe("the schema nests deeper than 32 levels")
    expect(problem({ anyOf: Array(999).fill({}) })).toBeUndefined()
    expect(problem({ anyOf: Array(1_000).fill({}) })).toBe("the schema has more than 1,000 subschemas")
  })

  it("refuses $data, whether as a keyword's value or in place of a subschema", () => {
    expect(problem({ properties: { a: { minimum: { $data: "1/b" } } } }))
      .toBe("$data references are not supported (at #/properties/a/minimum)")
    expect(problem({ not: { $data: "/x" } })).toBe("$data references are not supported (at #/not)")
    expect(problem({ properties: { $data: { type: "string" } }, required: ["$data"] })).toBeUndefined()
  })

  it("refuses $refs that point into values that are not subschemas", () => {
    expect(problem({ $ref: "#/properties/a%2Fb", properties: { "a/b": {} } })).toBeUndefined()
    expect(problem({ $ref: "#/$defs/x~1y", $defs: { "x/y": {} } })).toBeUndefined()
    expect(problem({ $ref: "other.json#/definitions/a" })).toBeUndefined()
    expect(problem({ $ref: "#anchor" })).toBeUndefined()
    expect(problem({ properties: { a: { $ref: "#/enum/0" } }, enum: [{}] }))
      .toBe("$ref \"#/enum/0\" at #/properties/a does not point at a subschema")
    expect(problem({ $dynamicRef: "#/examples/0" })).toBe("$dynamicRef \"#/examples/0\" at # does not point at a subschema")
    expect(problem({ $ref: "#/%E0%A4%A" })).toBe("$ref \"#/%E0%A4%A\" at # is not a valid URI reference")
  })

  it("refuses a subschema in another draft and the keyword reserved for metering", () => {
    expect(problem({ properties: { a: { $schema: "http://json-schema.org/draft-07/schema#" } } }))
      .toBe("$schema at #/properties/a differs from the schema's own: one schema is written in one draft")
    expect(problem({ items: { [costKeyword]: 1 } })).toBe(`unknown keyword "${costKeyword}" at #/items`)
  })
})
