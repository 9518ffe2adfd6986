import * as Either from "effect/Either"
import { isJsonObject, nestedDeeperThan } from "../Domain/Json.js"
import { costKeyword } from "./CostKeyword.js"
import { type Draft, draftOf } from "./Dialect.js"
import { maxSchemaBytes, maxSchemaDepth, maxSubschemas } from "./Limits.js"
import { forEachSubschema, leadsToSubschema, namesSubschemas } from "./Subschemas.js"

const referenceKeywords = ["$ref", "$dynamicRef", "$recursiveRef"]

/** Why a `$ref` could lead out of the schemas into a value such as `default` or `enum`, if it could. */
const referenceProblem = (reference: string): string | undefined => {
  const fragment = reference.includes("#") ? reference.slice(reference.indexOf("#") + 1) : ""
  if (!fragment.startsWith("/")) return undefined
  try {
    const tokens = fragment.slice(1).split("/").map((token) =>
      decodeURIComponent(token).replaceAll("~1", "/").replaceAll("~0", "~")
    )
    return leadsToSubschema(tokens) ? undefined : "does not point at a subschema"
  } catch {
    return "is not a valid URI reference"
  }
}

/**
 * What is wrong inside a schema that the compiler would accept or misread (`$data`, odd `$schema`s and
 * `$ref`s) or that would take it long (too many subschemas).
 */
const contentProblem = (
  node: unknown,
  at: string,
  draft: unknown,
  count: { subschemas: number }
): string | undefined => {
  if (!isJsonObject(node)) return undefined
  if (++count.subschemas > maxSubschemas) {
    return `the schema has more than ${maxSubschemas.toLocaleString("en")} subschemas`
  }
  if (costKeyword in node) return `unknown keyword "${costKeyword}" at ${at}`
  if ("$data" in node) return `$data references are not supported (at ${at})`
  if (at !== "#" && "$schema" in node && node.$schema !== draft) {
    return `$schema at ${at} differs from the schema's own: one schema is written in one draft`
  }
  for (const [keyword, value] of Object.entries(node)) {
    // Where a keyword names subschemas, `$data` is the name of a property.
    if (isJsonObject(value) && "$data" in value && !namesSubschemas(keyword)) {
      return `$data references are not supported (at ${at}/${keyword})`
    }
    if (referenceKeywords.includes(keyword) && typeof value === "string") {
      const problem = referenceProblem(value)
      if (problem) return `${keyword} ${JSON.stringify(value)} at ${at} ${problem}`
    }
  }
  let problem: string | undefined
  forEachSubschema(node, (child, pointer) => {
    problem ??= contentProblem(child, at + pointer, draft, count)
  })
  return problem
}

const describe = (value: unknown) => value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`

/**
 * The draft of a value that may be compiled as a schema, or why it may not: not a JSON object or
 * boolean, over the size or depth limits (`byteLength` is the size as sent, when known), an unknown
 * `$schema`, `$data`, or a `$ref` into something that is not a subschema.
 */
export const checkSchema = (schema: unknown, byteLength?: number): Either.Either<Draft, string> => {
  if (typeof schema === "boolean") return Either.right("2020-12")
  if (!isJsonObject(schema)) return Either.left(`a schema must be a JSON object or a boolean, not ${describe(schema)}`)
  const tooLarge = (bytes: number) =>
    `the schema is ${bytes.toLocaleString("en")} bytes; at most ${maxSchemaBytes.toLocaleString("en")} are accepted`
  if (byteLength !== undefined && byteLength > maxSchemaBytes) return Either.left(tooLarge(byteLength))
  if (nestedDeeperThan(schema, maxSchemaDepth)) {
    return Either.left(`the schema nests deeper than ${maxSchemaDepth} levels`)
  }
  const bytes = byteLength ?? Buffer.byteLength(JSON.stringify(schema))
  if (bytes > maxSchemaBytes) return Either.left(tooLarge(bytes))
  return Either.flatMap(draftOf(schema), (draft) => {
    const problem = contentProblem(schema, "#", schema.$schema, { subschemas: 0 })
    return problem === undefined ? Either.right(draft) : Either.left(problem)
  })
}
