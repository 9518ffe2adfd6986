import type { ErrorObject } from "ajv"
import { pointerToken } from "../Domain/Json.js"
import { quote } from "../Domain/Messages.js"
import type { ValidationIssue } from "./Errors.js"

const json = (value: unknown) => quote(value, 60)

const listed = (values: ReadonlyArray<unknown>) =>
  values.length > 10
    ? `${values.slice(0, 10).map(json).join(", ")}, … (${values.length} in all)`
    : values.map(json).join(", ")

const typeNames: Record<string, string> = {
  object: "an object",
  array: "an array",
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "true or false",
  null: "null"
}

const plural = (count: number, noun: string, nouns = `${noun}s`) => `${count} ${count === 1 ? noun : nouns}`

type Params = Record<string, any>

/** Plain words for what each keyword wants; any other keyword keeps Ajv's message. */
const messages: Record<string, (params: Params) => string> = {
  type: (p) => `must be ${String(p.type).split(",").map((type) => typeNames[type] ?? type).join(" or ")}`,
  required: (p) => `must have the property ${json(p.missingProperty)}`,
  dependentRequired: (p) => `must have the property ${json(p.missingProperty)} when it has ${json(p.property)}`,
  dependencies: (p) => `must have the property ${json(p.missingProperty)} when it has ${json(p.property)}`,
  additionalProperties: () => "is not an allowed property",
  unevaluatedProperties: () => "is not an allowed property",
  propertyNames: (p) => `has a property name that is not allowed: ${json(p.propertyName)}`,
  enum: (p) => `must be one of ${listed(p.allowedValues ?? [])}`,
  const: (p) => `must be ${json(p.allowedValue)}`,
  pattern: (p) => `must match the pattern ${json(p.pattern)}`,
  minLength: (p) => `must be at least ${plural(p.limit, "character")} long`,
  maxLength: (p) => `must be at most ${plural(p.limit, "character")} long`,
  minimum: (p) => `must be at least ${p.limit}`,
  maximum: (p) => `must be at most ${p.limit}`,
  exclusiveMinimum: (p) => `must be greater than ${p.limit}`,
  exclusiveMaximum: (p) => `must be less than ${p.limit}`,
  multipleOf: (p) => `must be a multiple of ${p.multipleOf}`,
  minItems: (p) => `must have at least ${plural(p.limit, "item")}`,
  maxItems: (p) => `must have at most ${plural(p.limit, "item")}`,
  items: (p) => `must have at most ${plural(p.limit, "item")}`,
  additionalItems: (p) => `must have at most ${plural(p.limit, "item")}`,
  unevaluatedItems: (p) => `must have at most ${plural(p.limit, "item")}`,
  minProperties: (p) => `must have at least ${plural(p.limit, "property", "properties")}`,
  maxProperties: (p) => `must have at most ${plural(p.limit, "property", "properties")}`,
  contains: (p) =>
    p.maxContains !== undefined && p.minContains === undefined
      ? `must have at most ${plural(p.maxContains, "item")} matching the "contains" schema`
      : `must have at least ${plural(p.minContains ?? 1, "item")} matching the "contains" schema`,
  anyOf: () => `must match at least one of the "anyOf" schemas`,
  oneOf: (p) =>
    Array.isArray(p.passingSchemas)
      ? `must match exactly one of the "oneOf" schemas, but matches ${p.passingSchemas.length}`
      : `must match exactly one of the "oneOf" schemas`,
  not: () => `must not match the "not" schema`,
  if: (p) => `must match the "${p.failingKeyword}" schema`,
  "false schema": () => "is not allowed here"
}

/** Where the error is: the offending property itself when it is there to point at. */
const pathOf = (error: ErrorObject): string => {
  const params = error.params as Params
  if (error.keyword === "additionalProperties" && typeof params.additionalProperty === "string") {
    return `${error.instancePath}/${pointerToken(params.additionalProperty)}`
  }
  if (error.keyword === "unevaluatedProperties" && typeof params.unevaluatedProperty === "string") {
    return `${error.instancePath}/${pointerToken(params.unevaluatedProperty)}`
  }
  return error.instancePath
}

export const issueOf = (error: ErrorObject): ValidationIssue => ({
  path: pathOf(error),
  keyword: error.keyword,
  message: Object.hasOwn(messages, error.keyword)
    ? messages[error.keyword]!(error.params as Params)
    : (error.message ?? "is not valid").replaceAll("NOT", "not")
})
