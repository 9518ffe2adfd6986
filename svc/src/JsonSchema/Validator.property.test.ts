import { describe, expect, it } from "@effect/vitest"
import { Ajv as PlainDraft07 } from "ajv"
import { Ajv2020 as Plain2020 } from "ajv/dist/2020.js"
import * as Either from "effect/Either"
import { FastCheck as fc } from "effect"
import { maxReportedErrors } from "./Limits.js"
import { compileSchema, validate } from "./Validator.js"

/**
 * Generated schemas (a handful of keywords, nested and combined, some of them invalid or hostile) and
 * generated JSON values: compiling and validating never throw and always answer quickly, and where the
 * answer is not "cannot be checked", it is the answer of plain Ajv (JavaScript regular expressions, no
 * meter) on the same schema and value.
 */

const names = fc.constantFrom("a", "b", "c", "a/b", "~x")
const patterns = ["^a", "b$", "^(a+)+$", "[0-9]{2}", "x|y", "^\\w*$", "(?=a)", "(", "a{2,3}"]

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.boolean(),
  fc.record({ type: fc.constantFrom("string", "number", "integer", "boolean", "null", "object", "array") }),
  fc.record({ type: fc.uniqueArray(fc.constantFrom("string", "number", "null"), { minLength: 1, maxLength: 2 }) }),
  fc.record({ enum: fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 4 }) }),
  fc.record({ const: fc.jsonValue({ maxDepth: 1 }) }),
  fc.record({ pattern: fc.constantFrom(...patterns) }),
  fc.record({ minimum: fc.integer({ min: -5, max: 5 }) }),
  fc.record({ exclusiveMaximum: fc.integer({ min: -5, max: 5 }) }),
  fc.record({ maxLength: fc.nat(5) }),
  fc.record({ minItems: fc.nat(3) }),
  fc.record({ multipleOf: fc.constantFrom(0.5, 2, 3) }),
  fc.record({ uniqueItems: fc.boolean() }),
  fc.record({ required: fc.uniqueArray(names, { maxLength: 3 }) }),
  fc.constant({ $ref: "#" })
)

const { schema } = fc.letrec<{ schema: unknown }>((tie) => ({
  schema: fc.oneof(
    { maxDepth: 4, depthSize: "small" },
    leaf,
    fc.record({ properties: fc.dictionary(names, tie("schema"), { maxKeys: 3 }) }),
    fc.record({ patternProperties: fc.dictionary(fc.constantFrom(...patterns), tie("schema"), { maxKeys: 2 }) }),
    fc.record({ additionalProperties: tie("schema") }),
    fc.record({ items: tie("schema") }),
    fc.record({ anyOf: fc.array(tie("schema"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ oneOf: fc.array(tie("schema"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ allOf: fc.array(tie("schema"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie("schema") }),
    fc.tuple(tie("schema"), tie("schema")).map(([a, b]) => isObject(a) && isObject(b) ? { ...a, ...b } : a)
  )
}))

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const rootSchema = fc.tuple(schema, fc.boolean()).map(([s, draft07]) =>
  draft07 && isObject(s) ? { $schema: "http://json-schema.org/draft-07/schema#", ...s } : s
)

const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(names, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.array(fc.oneof(fc.constantFrom("aa", "b", "12", "x"), fc.integer({ min: -3, max: 3 })), { maxLength: 5 })
)

/** Whether a JSON Pointer leads to something in `root` (or to a key of an object in it). */
const resolves = (root: unknown, pointer: string): boolean => {
  if (pointer === "") return true
  if (!pointer.startsWith("/")) return false
  let node = root
  for (const token of pointer.slice(1).split("/").map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"))) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, token)) return false
    node = (node as Record<string, unknown>)[token]
  }
  return true
}

const seconds = <A>(f: () => A): [A, number] => {
  const started = performance.now()
  const result = f()
  return [result, (performance.now() - started) / 1000]
}

describe("Validator on generated schemas and values", () => {
  it("never throws, always answers quickly, and agrees with plain Ajv whenever it answers", () => {
    fc.assert(
      fc.property(rootSchema, fc.array(value, { minLength: 1, maxLength: 4 }), (generated, configs) => {
        const [compiled, compileTook] = seconds(() => compileSchema(generated))
        expect(compileTook).toBeLessThan(2)
        if (Either.isLeft(compiled)) {
          expect(compiled.left.message).toMatch(/^invalid JSON Schema: ./)
          return
        }
        const draft07 = isObject(generated) && generated.$schema !== undefined
        const plain = (draft07 ? new PlainDraft07({ allErrors: true, strict: false }) : new Plain2020({
          allErrors: true,
          strict: false
        })).compile(generated as object)
        for (const config of configs) {
          const [result, took] = seconds(() => validate(compiled.right, config))
          expect(took).toBeLessThan(2)
          expect(result.errors.length).toBeLessThanOrEqual(maxReportedErrors)
          expect(result.valid).toBe(result.errors.length === 0)
          for (const issue of result.errors) {
            expect(resolves(config, issue.path), `${issue.path} in ${JSON.stringify(config)}`).toBe(true)
            expect(issue.message).not.toMatch(/NOT/)
          }
          if (result.errors.some((issue) => issue.message.startsWith("cannot be checked"))) continue
          let plainValid: boolean
          try {
            plainValid = plain(config) === true
          } catch {
            continue
          }
          expect(result.valid, `${JSON.stringify(generated)} on ${JSON.stringify(config)}`).toBe(plainValid)
          if (!plainValid && plain.errors!.length <= maxReportedErrors) {
            expect(result.errors.map((issue) => issue.keyword)).toEqual(plain.errors!.map((error) => error.keyword))
          }
        }
      }),
      { numRuns: 400 }
    )
    // About 5 s of CPU alone; beside the rest of the suite on two busy cores it has taken 45 s.
  }, 180_000)
})
