import type { FuncKeywordDefinition, SchemaValidateFunction } from "ajv"
import { charge } from "./Budget.js"
import { canonicalJson } from "./CanonicalJson.js"

/** Canonical JSON costs a few units a value: sorting keys, quoting, joining. */
const meter = (value: unknown) => charge(typeof value === "string" ? 4 + value.length / 8 : 4)

const validate: SchemaValidateFunction = (unique: boolean, data: Array<unknown>) => {
  if (!unique) return true
  const primitives = new Map<unknown, number>()
  const composites = new Map<string, number>()
  for (let i = 0; i < data.length; i++) {
    const item = data[i]
    const composite = typeof item === "object" && item !== null
    charge(2)
    const key = composite ? canonicalJson(item, meter) : item
    const seen: Map<unknown, number> = composite ? composites : primitives
    const first = seen.get(key)
    if (first !== undefined) {
      validate.errors = [{
        keyword: "uniqueItems",
        params: { i: first, j: i },
        message: `must not have duplicate items (items ${first} and ${i} are equal)`
      }]
      return false
    }
    seen.set(key, i)
  }
  return true
}

/**
 * `uniqueItems` in time linear in the array's size. Ajv's own compares every pair of items that are
 * not all strings, numbers or booleans: a 1 MiB array of empty arrays would take hours.
 */
export const uniqueItemsKeyword: FuncKeywordDefinition = {
  keyword: "uniqueItems",
  type: "array",
  schemaType: "boolean",
  errors: true,
  validate
}
