import { _, type CodeKeywordDefinition, Name } from "ajv"
import { isJsonObject } from "../Domain/Json.js"
import { enter } from "./Budget.js"
import { holderOf, mapSubschemas } from "./Subschemas.js"

/**
 * A keyword added to every subschema before compiling, evaluated first wherever the validator applies
 * that subschema to a value: it charges the meter, so no schema (`$ref` graphs that fan out, wide
 * `anyOf`s over deep data) can make a check run on without end. Its value is what the subschema's own
 * keywords cost on any value; what depends on the value (long strings, objects with many keys) is
 * added when it runs.
 */
export const costKeyword = "$configServiceCost"

/** Keywords that are only annotations or containers of definitions: the validator does no work for them. */
const costless = new Set([
  "$schema",
  "$id",
  "$anchor",
  "$dynamicAnchor",
  "$recursiveAnchor",
  "$vocabulary",
  "$comment",
  "$defs",
  "definitions",
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
  "format",
  "contentEncoding",
  "contentMediaType",
  "contentSchema"
])

const jsonNodes = (value: unknown): number => {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + jsonNodes(item), 1)
  if (isJsonObject(value)) return Object.values(value).reduce((sum: number, item) => sum + jsonNodes(item), 1)
  return 1
}

/** One unit per subschema a keyword holds, else per JSON value it has (`enum`, `required`, …). */
const keywordCost = (keyword: string, value: unknown): number => {
  switch (holderOf(keyword, value)) {
    case "one":
      return 1
    case "list":
      return (value as Array<unknown>).length
    case "map":
      return Object.keys(value as object).length
    default:
      return jsonNodes(value)
  }
}

const ownCost = (schema: Record<string, unknown>): number =>
  Object.entries(schema).reduce(
    (cost, [keyword, value]) => costless.has(keyword) ? cost : cost + keywordCost(keyword, value),
    1
  )

/** A copy of the schema with the cost keyword in every subschema that is an object. */
export const withCosts = (schema: unknown): unknown =>
  isJsonObject(schema) ? { ...mapSubschemas(schema, withCosts), [costKeyword]: ownCost(schema) } : schema

const lengthKeywords = ["minLength", "maxLength"]
const keyKeywords = [
  "additionalProperties",
  "patternProperties",
  "propertyNames",
  "unevaluatedProperties",
  "minProperties",
  "maxProperties"
]

/** Comparing an object with one in `enum` or `const` lists the keys of both: a few units a key. */
const objectsAmong = (values: unknown): number =>
  4 * (Array.isArray(values) ? values : [values]).filter((value) => typeof value === "object" && value !== null).length

/** The generated validators' parameter holding the path of the value they check. */
const instancePath = new Name("instancePath")

/** What the generated code calls on entering a subschema: its own cost and what the value adds to it. */
const enterSubschema = (
  data: unknown,
  base: string,
  suffix: string,
  cost: number,
  perCharacter: number,
  perKey: number
) => {
  let units = cost
  if (typeof data === "string") units += data.length * perCharacter
  else if (perKey > 0 && isJsonObject(data)) units += Object.keys(data).length * perKey
  enter(base, suffix, units)
}

export const costKeywordDefinition: CodeKeywordDefinition = {
  keyword: costKeyword,
  schemaType: "number",
  code: ({ data, gen, it, parentSchema, schema }) => {
    const perCharacter = lengthKeywords.filter((keyword) => keyword in parentSchema).length / 8
    const perKey = (keyKeywords.some((keyword) => keyword in parentSchema) ? 1 : 0) +
      (isJsonObject(parentSchema.patternProperties) ? Object.keys(parentSchema.patternProperties).length : 0) +
      ("enum" in parentSchema ? objectsAmong(parentSchema.enum) : 0) +
      ("const" in parentSchema ? objectsAmong(parentSchema.const) : 0)
    const enter = gen.scopeValue("func", { ref: enterSubschema, key: enterSubschema })
    gen.code(_`${enter}(${data}, ${instancePath}, ${it.errorPath}, ${schema}, ${perCharacter}, ${perKey})`)
  }
}
