import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import { spentByLast } from "./Budget.js"
import { maxPatternSteps, maxReportedErrors, maxSchemaBytes, workBudget } from "./Limits.js"
import { check, compileSchema, validate, type Validator } from "./Validator.js"

const compiled = (schema: unknown): Validator => {
  const result = compileSchema(schema)
  if (Either.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

const refusal = (schema: unknown, options?: { readonly byteLength?: number }): string => {
  const result = compileSchema(schema, options)
  if (Either.isRight(result)) throw new Error(`accepted ${JSON.stringify(schema).slice(0, 200)}`)
  expect(result.left._tag).toBe("InvalidSchema")
  return result.left.message
}

const seconds = <A>(f: () => A): [A, number] => {
  const started = performance.now()
  const result = f()
  return [result, (performance.now() - started) / 1000]
}

const draft07 = "http://json-schema.org/draft-07/schema#"

describe("compileSchema", () => {
  it("compiles schemas of draft 2020-12 (the default) and draft-07", () => {
    expect(compiled({ type: "array", prefixItems: [{ type: "string" }] }).draft).toBe("2020-12")
    expect(compiled({ $schema: "https://json-schema.org/draft/2020-12/schema", type: "string" }).draft).toBe("2020-12")
    const tuple = { $schema: draft07, definitions: { n: { type: "number" } }, items: [{ $ref: "#/definitions/n" }] }
    expect(compiled(tuple).draft).toBe("draft-07")
    expect(compiled(true).draft).toBe("2020-12")
  })

  it("refuses what is not a schema, saying why", () => {
    expect(refusal(5)).toMatch(/must be a JSON object or a boolean, not a number/)
    expect(refusal([{}])).toMatch(/not an array/)
    expect(refusal(null)).toMatch(/not null/)
    expect(refusal({ $schema: "http://json-schema.org/draft-04/schema#" }))
      .toMatch(/\$schema .*draft-04.* is not supported/)
    expect(refusal({ type: "strin" })).toMatch(/#\/type must be one of/)
    expect(refusal({ minLength: -1 })).toMatch(/#\/minLength must be at least 0/)
    expect(refusal({ foo: 1 })).toMatch(/unknown keyword: "foo"/)
    expect(refusal({ pattern: "(" })).toMatch(/pattern "\(" is not a regular expression .*missing \)/)
    expect(refusal({ patternProperties: { "a(?=b)": {} } })).toMatch(/without lookaround or backreferences/)
  })

  it("keeps each draft's keywords to its own schemas", () => {
    expect(compiled({ $defs: { a: { $anchor: "a", type: "string" } }, $ref: "#a" })).toBeDefined()
    expect(refusal({ $schema: draft07, unevaluatedProperties: false })).toMatch(/unknown keyword: "unevaluatedProperties"/)
    expect(refusal({ $schema: draft07, properties: { a: { $anchor: "a" } } })).toMatch(/unknown keyword: "\$anchor"/)
  })

  it("refuses references outside the schema, into values that are not schemas, and $data", () => {
    expect(refusal({ $ref: "https://example.com/schema.json" })).toMatch(/cannot be resolved inside the schema/)
    expect(refusal({ $ref: "https://json-schema.org/draft/2020-12/schema" })).toMatch(/cannot be resolved/)
    expect(refusal({ $id: "https://example.com/a", $ref: "b.json" })).toMatch(/"https:\/\/example.com\/b.json"/)
    expect(refusal({ default: { type: "string" }, $ref: "#/default" })).toMatch(/does not point at a subschema/)
    expect(refusal({ properties: { a: { const: { $data: "1/b" } } } })).toMatch(/\$data references are not supported/)
    expect(refusal({ properties: { a: { maximum: { $data: "1/b" } } } })).toMatch(/\$data/)
    expect(compiled({ properties: { $data: { type: "string" } } })).toBeDefined()
    expect(compiled({ $id: "https://example.com/a", $defs: { b: { $id: "b", type: "string" } }, $ref: "b" })).toBeDefined()
  })

  it("refuses schemas over 64 KiB as sent or nested deeper than 32 levels", () => {
    const wide = { enum: Array.from({ length: 20_000 }, (_, i) => i) }
    const bytes = JSON.stringify(wide).length.toLocaleString("en")
    expect(refusal(wide)).toMatch(new RegExp(`is ${bytes} bytes; at most 65,536`))
    expect(refusal({ type: "object" }, { byteLength: maxSchemaBytes + 1 })).toMatch(/65,537 bytes/)
    expect(compiled({ type: "object" }).draft).toBe("2020-12")
    let deep: unknown = { type: "object" }
    for (let i = 1; i < 32; i++) deep = { items: deep }
    expect(compiled(deep)).toBeDefined()
    expect(refusal({ items: deep })).toMatch(/nests deeper than 32 levels/)
  })

  it("compiles an equal schema once: the cache answers with the same validator", () => {
    const a = compiled({ type: "object", properties: { x: { type: "integer" }, y: { type: "string" } } })
    const b = compiled({ properties: { y: { type: "string" }, x: { type: "integer" } }, type: "object" })
    expect(b).toBe(a)
    expect(compiled({ type: "object", properties: { x: { type: "number" } } })).not.toBe(a)
    const refused = compileSchema({ bogus: true })
    expect(compileSchema({ bogus: true })).toBe(refused)
  })
})

describe("validate", () => {
  it("says whether a configuration conforms, with JSON Pointers to where it does not", () => {
    const validator = compiled({
      type: "object",
      required: ["name"],
      properties: {
        name: { type: "string" },
        "a/b": { type: "integer" },
        "c~d": { type: "array", items: { type: "string" } }
      },
      additionalProperties: false
    })
    expect(validate(validator, { name: "x" })).toEqual({ valid: true, errors: [] })
    expect(validate(validator, { "a/b": 1.5, "c~d": ["ok", 2], "e/f~": true })).toEqual({
      valid: false,
      errors: [
        { path: "", keyword: "required", message: "must have the property \"name\"" },
        { path: "/e~1f~0", keyword: "additionalProperties", message: "is not an allowed property" },
        { path: "/a~1b", keyword: "type", message: "must be an integer" },
        { path: "/c~0d/1", keyword: "type", message: "must be a string" }
      ]
    })
    expect(validate(validator, [])).toEqual({
      valid: false,
      errors: [{ path: "", keyword: "type", message: "must be an object" }]
    })
  })

  it("checks a 1 MiB configuration against an ordinary schema well within its budget", () => {
    const record = {
      type: "object",
      required: ["id", "name"],
      properties: {
        id: { type: "integer", minimum: 0 },
        name: { type: "string", minLength: 1, maxLength: 64 },
        kind: { enum: ["a", "b", "c"] },
        tags: { type: "array", items: { type: "string" }, uniqueItems: true },
        url: { type: "string", pattern: "^https?://[a-z0-9.-]+(/.*)?$" },
        meta: { type: "object", additionalProperties: { type: "string" } }
      },
      additionalProperties: false
    }
    const config = Array.from({ length: 8_000 }, (_, i) => ({
      id: i,
      name: `name-${i}`,
      kind: "b",
      tags: ["x", "y", "z"],
      url: `https://example.com/items/${i}`,
      meta: { owner: "team", tier: "gold" }
    }))
    expect(JSON.stringify(config).length).toBeGreaterThan(900_000)
    const validator = compiled({ type: "array", items: record })
    const [result, took] = seconds(() => validate(validator, config))
    console.log(`bench: a 1 MiB configuration of 8,000 records took ${(took * 1000).toFixed(0)} ms`)
    expect(result).toEqual({ valid: true, errors: [] })
    expect(took).toBeLessThan(5)
    expect(check(validator, config)).toEqual(Either.right(result))
  })

  it("reports at most 50 errors", () => {
    const validator = compiled({ type: "array", items: { type: "string" } })
    const result = validate(validator, Array.from({ length: 500 }, (_, i) => i))
    expect(result.valid).toBe(false)
    expect(result.errors).toHaveLength(maxReportedErrors)
    expect(result.errors[49]).toEqual({ path: "/49", keyword: "type", message: "must be a string" })
  })

  it("answers where Ajv, collecting every error, trips over patternProperties after a failed anyOf or oneOf", () => {
    const tripping = { patternProperties: { "^a": { required: [] } }, anyOf: [{ additionalProperties: { type: "integer" } }] }
    expect(validate(compiled(tripping), { a: "" })).toEqual({
      valid: false,
      errors: [
        { path: "/a", keyword: "type", message: "must be an integer" },
        { path: "", keyword: "anyOf", message: "must match at least one of the \"anyOf\" schemas" }
      ]
    })
    expect(validate(compiled(tripping), { a: 1 })).toEqual({ valid: true, errors: [] })
    const nested = compiled({ properties: { x: { oneOf: [tripping, { type: "string" }] } } })
    expect(validate(nested, { x: { a: "" } }).valid).toBe(false)
    expect(validate(nested, { x: { a: 2 } }).valid).toBe(true)
  })

  it("answers a draft-07 schema as draft-07 means it", () => {
    const validator = compiled({ $schema: draft07, items: [{ type: "string" }], additionalItems: false })
    expect(validate(validator, ["a"]).valid).toBe(true)
    expect(validate(validator, ["a", 1]).errors).toEqual([
      { path: "", keyword: "additionalItems", message: "must have at most 1 item" }
    ])
  })

  it("runs ^(a+)+$ against 10,000 a's and a ! on the linear-time engine", () => {
    const validator = compiled({ type: "string", pattern: "^(a+)+$" })
    const [result, took] = seconds(() => validate(validator, "a".repeat(10_000) + "!"))
    console.log(`bench: ^(a+)+$ on 10,001 characters took ${(took * 1000).toFixed(1)} ms`)
    expect(result.errors).toEqual([{ path: "", keyword: "pattern", message: "must match the pattern \"^(a+)+$\"" }])
    expect(took).toBeLessThan(2)
    expect(validate(validator, "a".repeat(10_000)).valid).toBe(true)
  })

  it("refuses $ref cycles that never reach into the configuration, quickly", () => {
    const cycles = [
      { $ref: "#" },
      { allOf: [{ $ref: "#" }] },
      { $defs: { a: { $ref: "#/$defs/b" }, b: { $ref: "#/$defs/a" } }, $ref: "#/$defs/a" },
      { $defs: { a: { anyOf: [{ $ref: "#/$defs/b" }] }, b: { not: { $ref: "#/$defs/a" } } }, $ref: "#/$defs/a" }
    ]
    for (const schema of cycles) {
      const [message, took] = seconds(() => refusal(schema))
      expect(message).toMatch(/references \(\$ref\) (loop|nest too deeply or lead into each other) without end/)
      expect(took).toBeLessThan(2)
    }
  })

  it("answers a cycle that only some configurations reach with an error at that place", () => {
    const validator = compiled({
      properties: { loop: { $ref: "#/$defs/loop" } },
      $defs: { loop: { allOf: [{ $ref: "#/$defs/loop" }] } }
    })
    expect(validate(validator, { other: 1 }).valid).toBe(true)
    const [result, took] = seconds(() => validate(validator, { loop: 1 }))
    expect(result).toEqual({
      valid: false,
      errors: [{
        path: "/loop",
        keyword: "$ref",
        message: "cannot be checked: the schema's references loop here without end"
      }]
    })
    expect(took).toBeLessThan(2)
  })

  it("refuses references that fan out exponentially, and bounds those that fan out with the configuration's depth", () => {
    const defs: Record<string, unknown> = { d30: { type: "string" } }
    for (let i = 0; i < 30; i++) defs[`d${i}`] = { anyOf: [{ $ref: `#/$defs/d${i + 1}` }, { $ref: `#/$defs/d${i + 1}` }] }
    const [message, took] = seconds(() => refusal({ $defs: defs, $ref: "#/$defs/d0" }))
    expect(message).toMatch(/checking even null against it takes more than 200,000 steps/)
    expect(took).toBeLessThan(5)

    const doubling = compiled({
      $defs: { n: { allOf: [{ properties: { a: { $ref: "#/$defs/n" } } }, { properties: { a: { $ref: "#/$defs/n" } } }] } },
      $ref: "#/$defs/n"
    })
    const deep = JSON.parse("{\"a\":".repeat(40) + "1" + "}".repeat(40))
    const [result, tookDeep] = seconds(() => validate(doubling, deep))
    expect(result.valid).toBe(false)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]!.keyword).toBe("limit")
    expect(result.errors[0]!.message).toBe(
      `cannot be checked: the schema needs more than ${workBudget.toLocaleString("en")} steps for this configuration`
    )
    expect(result.errors[0]!.path).toMatch(/^(\/a)+$/)
    expect(tookDeep).toBeLessThan(5)
  })

  it("checks uniqueItems over a 1 MiB array in work linear in its size", () => {
    const validator = compiled({ type: "array", uniqueItems: true })
    const records = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, tags: [i % 7] }))
    expect(JSON.stringify(records(60_000)).length).toBeGreaterThan(1 << 20)
    const spentOn = (value: unknown) => {
      expect(validate(validator, value)).toEqual({ valid: true, errors: [] })
      return spentByLast()
    }
    expect(spentOn(records(60_000)) / spentOn(records(30_000))).toBeCloseTo(2, 1)
    const empties = (n: number) => [...Array(n).keys()].map(() => [])
    const duplicated = validate(validator, empties(300_000))
    expect(duplicated.errors).toEqual([
      { path: "", keyword: "uniqueItems", message: "must not have duplicate items (items 0 and 1 are equal)" }
    ])
    const spentOnDuplicates = spentByLast()
    validate(validator, empties(600_000))
    expect(spentByLast()).toBe(spentOnDuplicates)
  })

  it("collects errors over failing items of a recursive schema in work linear in their number, bounded for 80,000", () => {
    const validator = compiled({
      $defs: { node: { type: "object", properties: { kids: { type: "array", items: { $ref: "#/$defs/node" } } } } },
      $ref: "#/$defs/node"
    })
    const few = validate(validator, { kids: [{}, 1, { kids: [2] }] })
    expect(few.errors.map((error) => error.path)).toEqual(["/kids/1", "/kids/2/kids/0"])
    const spentOn = (n: number) => {
      const many = validate(validator, { kids: Array(n).fill(1) })
      expect(many.valid).toBe(false)
      expect(many.errors[0]).toEqual({ path: "/kids/0", keyword: "type", message: "must be an object" })
      return spentByLast()
    }
    const [two, four] = [spentOn(2_000), spentOn(4_000)]
    expect(four / two).toBeCloseTo(2, 1)
    expect(spentOn(80_000)).toBeLessThanOrEqual(four)
  })

  it("answers tiny multipleOf, enormous minLength and long strings under length limits without stalling", () => {
    expect(validate(compiled({ multipleOf: 1e-308 }), 1e308).valid).toBe(false)
    expect(validate(compiled({ multipleOf: 5e-324 }), 1).valid).toBe(false)
    expect(validate(compiled({ multipleOf: 0.5 }), 2.5).valid).toBe(true)
    expect(validate(compiled({ minLength: 1e300 }), "abc").errors[0]!.keyword).toBe("minLength")
    const manyLimits = compiled({ allOf: Array(400).fill({ maxLength: 5 }) })
    const [result, took] = seconds(() => validate(manyLimits, "x".repeat(1 << 20)))
    expect(result.valid).toBe(false)
    expect(took).toBeLessThan(5)
  })

  it("refuses to run a pattern over text so long that RE2 might take long, naming the limit", () => {
    const validator = compiled({ properties: { s: { pattern: "(a|b)*a(a|b){20}" } } })
    const [result, took] = seconds(() => validate(validator, { s: "ab".repeat(5_000) }))
    expect(result.errors).toEqual([{
      path: "/s",
      keyword: "pattern",
      message: "is too long to check against the pattern \"(a|b)*a(a|b){20}\": at most 1,162 characters"
    }])
    expect(took).toBeLessThan(2)
  })

  it("bounds the steps of regular expressions over many texts by counting them, the same answer every time", () => {
    const validator = compiled({ properties: { texts: { items: { pattern: "(a|b)*a(a|b){20}" } } } })
    let seed = 42
    const bit = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) >> 30
    const texts = Array.from({ length: 400 }, () => Array.from({ length: 1_100 }, () => "ab"[bit()]).join(""))
    const stepsPerText = 86 * 1_100
    const fitting = Math.floor(maxPatternSteps / stepsPerText)
    const stopped = {
      valid: false,
      errors: [{
        path: `/texts/${fitting}`,
        keyword: "limit",
        message: "cannot be checked: the schema needs more than 12,000,000 steps of its regular expressions for this configuration"
      }]
    }
    const [result, took] = seconds(() => validate(validator, { texts }))
    console.log(`bench: ${fitting} texts of 1,100 characters against a DFA-hostile pattern took ${(took * 1000).toFixed(0)} ms`)
    expect(result).toEqual(stopped)
    expect(validate(validator, { texts })).toEqual(stopped)
    expect(validate(validator, { texts: texts.slice(0, fitting) })).toEqual({ valid: true, errors: [] })
  })
})
