import { Ajv as AjvDraft07, type Options } from "ajv"
import { Ajv2020 } from "ajv/dist/2020.js"
import { costKeywordDefinition } from "./CostKeyword.js"
import type { Draft } from "./Dialect.js"
import { boundErrorCollection, errorCollectionHelpers } from "./ErrorCollection.js"
import { issueOf } from "./Issues.js"
import { patternEngine } from "./Patterns.js"
import { uniqueItemsKeyword } from "./UniqueItems.js"

/**
 * Strict about what a schema says (unknown keywords, ignored keywords, malformed values) but not about
 * style: `pattern` without `type: "string"` or `required` naming a property `properties` does not
 * list are valid JSON Schema. Formats are annotations, as draft 2020-12 has them by default. No
 * meta-schemas or other schemas are loaded, so a `$ref` resolves inside the schema or not at all.
 */
const options: Options = {
  strictSchema: true,
  strictNumbers: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  allowMatchingProperties: true,
  validateFormats: false,
  $data: false,
  meta: false,
  validateSchema: false,
  inlineRefs: false,
  logger: false
}

/**
 * A fresh Ajv for compiling one schema, so nothing compiled outlives the validator that holds it. With
 * `collectAll`, every error rather than the first.
 */
export const makeAjv = (draft: Draft, collectAll: boolean) => {
  const code = collectAll
    ? { regExp: patternEngine(), process: boundErrorCollection }
    : { regExp: patternEngine() }
  const settings = { ...options, allErrors: collectAll, code }
  const ajv = draft === "draft-07" ? new AjvDraft07(settings) : new Ajv2020(settings)
  // Ajv resolves `$anchor` but does not know it as a keyword (ajv-validator/ajv#1854).
  if (draft === "2020-12") ajv.addKeyword("$anchor")
  ajv.removeKeyword("uniqueItems")
  ajv.addKeyword(uniqueItemsKeyword)
  ajv.addKeyword({ ...costKeywordDefinition, before: ajv.RULES.rules[0]!.rules[0]!.keyword })
  return Object.assign(ajv, errorCollectionHelpers)
}

/** Long-lived: meta-schemas are compiled once, and checking a schema against them keeps nothing. */
const metaValidators = {
  "2020-12": new Ajv2020({ allErrors: true, logger: false, validateFormats: false }),
  "draft-07": new AjvDraft07({ allErrors: true, logger: false, validateFormats: false })
}

/** What makes a schema invalid against its draft's meta-schema, if anything. */
export const metaSchemaProblem = (schema: unknown, draft: Draft): string | undefined => {
  const ajv = metaValidators[draft]
  if (ajv.validateSchema(schema as object) === true) return undefined
  return (ajv.errors ?? []).slice(0, 3).map((error) => {
    const issue = issueOf(error)
    return `#${issue.path} ${issue.message}`
  }).join("; ")
}
