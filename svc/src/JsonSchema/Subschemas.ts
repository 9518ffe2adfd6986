import { isJsonObject, pointerToken } from "../Domain/Json.js"

/** Where a JSON Schema holds subschemas, in the keywords of draft-07 and draft 2020-12 that take them. */

/** Keywords whose value is one subschema (`items` too may be one, or a draft-07 array of them). */
const oneSchema = new Set([
  "not",
  "if",
  "then",
  "else",
  "contains",
  "propertyNames",
  "additionalProperties",
  "additionalItems",
  "unevaluatedItems",
  "unevaluatedProperties",
  "items"
])
const schemaList = new Set(["allOf", "anyOf", "oneOf", "prefixItems", "items"])
/** Keywords whose value names subschemas (`dependencies` may also name arrays of property names). */
const schemaMap = new Set([
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "dependentSchemas",
  "dependencies"
])

export const namesSubschemas = (keyword: string) => schemaMap.has(keyword)

type Holder = "one" | "list" | "map"

/** Whether a keyword, with this value, holds one subschema, a list of them or names them. */
export const holderOf = (keyword: string, value: unknown): Holder | undefined =>
  Array.isArray(value)
    ? schemaList.has(keyword) ? "list" : undefined
    : isJsonObject(value) && schemaMap.has(keyword)
    ? "map"
    : oneSchema.has(keyword)
    ? "one"
    : undefined

/** A shallow copy of a schema object with each subschema directly inside it replaced by `f` of it. */
export const mapSubschemas = (
  schema: Record<string, unknown>,
  f: (child: unknown) => unknown
): Record<string, unknown> =>
  Object.fromEntries(Object.entries(schema).map(([keyword, value]) => {
    switch (holderOf(keyword, value)) {
      case "one":
        return [keyword, f(value)]
      case "list":
        return [keyword, (value as Array<unknown>).map(f)]
      case "map":
        return [keyword, Object.fromEntries(Object.entries(value as object).map(([name, child]) => [name, f(child)]))]
      default:
        return [keyword, value]
    }
  }))

/** Each subschema directly inside a schema object, with the JSON Pointer from the object to it. */
export const forEachSubschema = (schema: Record<string, unknown>, f: (child: unknown, pointer: string) => void) => {
  for (const [keyword, value] of Object.entries(schema)) {
    const at = `/${pointerToken(keyword)}`
    switch (holderOf(keyword, value)) {
      case "one":
        f(value, at)
        break
      case "list":
        ;(value as Array<unknown>).forEach((child, i) => f(child, `${at}/${i}`))
        break
      case "map":
        for (const [name, child] of Object.entries(value as object)) f(child, `${at}/${pointerToken(name)}`)
    }
  }
}

/** Whether a JSON Pointer (as reference tokens) leads from a schema only to a subschema, never into `enum`… */
export const leadsToSubschema = (tokens: ReadonlyArray<string>): boolean => {
  let i = 0
  while (i < tokens.length) {
    const keyword = tokens[i]!
    const next = tokens[i + 1]
    if (schemaList.has(keyword) && next !== undefined && /^(0|[1-9][0-9]*)$/.test(next)) i += 2
    else if (schemaMap.has(keyword) && next !== undefined) i += 2
    else if (oneSchema.has(keyword)) i += 1
    else return false
  }
  return true
}
