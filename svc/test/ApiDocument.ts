import { Ajv2020 } from "ajv/dist/2020.js"
import type { ValidateFunction } from "ajv"

type Json = any

export interface Answer {
  readonly method: string
  /** The request target, query string included. */
  readonly url: string
  readonly status: number
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  readonly text: string
}

const templatePattern = (template: string) =>
  new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+")}$`)

/**
 * Every `$ref` into the document's components, pointed at the components as a schema of their
 * own; `$id`s go (Effect writes `/schemas/unknown` for every unknown value, and ajv wants one).
 */
const rebased = (schema: Json): Json =>
  JSON.parse(
    JSON.stringify(schema).replaceAll(`"#/components/`, `"components#/components/`),
    (key, value) => (key === "$id" ? undefined : value)
  )

/**
 * Holds answers to the served OpenAPI document: an answer of a documented operation must have a
 * documented status, a body that validates against that status's schema (ajv, draft 2020-12,
 * as OpenAPI 3.1 says) and every header the document marks required. Answers to paths or
 * methods the document does not have (404 and 405 of the router) are not its business.
 */
export const makeDocumentChecker = (spec: Json) => {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
  ajv.addSchema({ ...rebased({ components: spec.components }), $id: "components" })
  const compiled = new Map<Json, ValidateFunction>()
  const validatorOf = (schema: Json) => {
    let validate = compiled.get(schema)
    if (validate === undefined) {
      validate = ajv.compile(rebased(schema))
      compiled.set(schema, validate)
    }
    return validate
  }
  const templates = Object.keys(spec.paths).map((template) => ({ template, pattern: templatePattern(template) }))

  return (answer: Answer): ReadonlyArray<string> => {
    const path = answer.url.split("?")[0]!
    const method = answer.method.toLowerCase()
    const template = templates.find(({ pattern }) => pattern.test(path))?.template
    const operation = template === undefined ? undefined : spec.paths[template][method]
    if (operation === undefined) return []
    const where = `${answer.method} ${template} → ${answer.status}`
    const response = operation.responses[String(answer.status)]
    if (response === undefined) return [`${where}: status not in the document`]
    const problems: Array<string> = []
    for (const [name, header] of Object.entries(response.headers ?? {}) as Array<[string, Json]>) {
      if (header.required && answer.headers[name.toLowerCase()] === undefined) problems.push(`${where}: no ${name} header`)
    }
    const media = response.content?.["application/json"]
    if (media === undefined) {
      if (answer.text !== "" && response.content === undefined) problems.push(`${where}: a body where none is documented`)
      return problems
    }
    let body: unknown
    try {
      body = JSON.parse(answer.text)
    } catch {
      return [...problems, `${where}: the body is not JSON`]
    }
    const validate = validatorOf(media.schema)
    if (!validate(body)) problems.push(`${where}: ${ajv.errorsText(validate.errors)} in ${answer.text.slice(0, 300)}`)
    return problems
  }
}

/** JSON values a configuration may hold (as its schema's description says): no NUL, well-formed text. */
const storableJson = (fc: typeof import("effect").FastCheck) =>
  fc.jsonValue({ maxDepth: 3 }).filter((value) => !JSON.stringify(value).includes("\\u0000"))

/**
 * Values the document calls valid for `schema`: strings within its lengths that match its
 * patterns, integers within their bounds, objects with their required properties (and some
 * optional ones). Strings the document types as ULIDs are drawn from `ids` (existing
 * resources) most of the time, so that requests reach more than a 404.
 */
export const arbitraryOf = (
  fc: typeof import("effect").FastCheck,
  spec: Json,
  ids: () => ReadonlyArray<string>
) => {
  const resolve = (schema: Json): Json =>
    schema?.$ref ? resolve(spec.components.schemas[(schema.$ref as string).split("/").pop()!]) : schema
  const made = new Map<Json, import("effect").FastCheck.Arbitrary<unknown>>()
  const go = (input: Json): import("effect").FastCheck.Arbitrary<unknown> => {
    let arbitrary = made.get(input)
    if (arbitrary === undefined) {
      arbitrary = make(input)
      made.set(input, arbitrary)
    }
    return arbitrary
  }
  const make = (input: Json): import("effect").FastCheck.Arbitrary<unknown> => {
    const schema = resolve(input)
    if (schema === true || schema === undefined || Object.keys(schema).length === 0) return storableJson(fc)
    const members = schema.anyOf ?? schema.oneOf
    if (members) return fc.oneof(...members.map(go))
    if (schema.enum) return fc.constantFrom(...schema.enum)
    switch (schema.type) {
      case "string": {
        const patterns = [schema.pattern, ...(schema.allOf ?? []).map((s: Json) => s.pattern)].filter(Boolean)
          .map((p: string) => new RegExp(p, "u"))
        if (patterns.some((p: RegExp) => p.source.includes("[0-7]"))) {
          return fc.oneof(
            { weight: 4, arbitrary: fc.constant(null).map(() => ids()).filter((all) => all.length > 0).chain((all) => fc.constantFrom(...all)) },
            fc.stringMatching(patterns.find((p: RegExp) => p.source.includes("[0-7]"))!)
          )
        }
        const maxLength = Math.min(schema.maxLength ?? 40, 40)
        const minLength = schema.minLength ?? 0
        const fits = (s: string) =>
          [...s].length >= minLength && [...s].length <= maxLength && patterns.every((p: RegExp) => p.test(s))
        // An anchored pattern says what the whole string is: generate from it rather than filter.
        const whole = patterns.find((p: RegExp) => p.source.startsWith("^") && p.source.endsWith("$"))
        const base = whole
          ? fc.stringMatching(new RegExp(whole.source))
          : fc.string({ minLength, maxLength, unit: "grapheme" })
        return base.map((s) => [...s.replace(/\u0000/g, "")].slice(0, maxLength).join("")).filter(fits)
      }
      case "integer":
        return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 })
      case "number":
        return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 })
      case "boolean":
        return fc.boolean()
      case "null":
        return fc.constant(null)
      case "array":
        return fc.array(go(schema.items ?? true), { maxLength: 3 })
      case "object": {
        const properties = Object.entries(schema.properties ?? {}) as Array<[string, Json]>
        const required = new Set<string>(schema.required ?? [])
        const fields = fc.record(
          Object.fromEntries(properties.map(([name, property]) => [name, go(property)])),
          { requiredKeys: properties.map(([name]) => name).filter((name) => required.has(name)) }
        )
        if (schema.additionalProperties !== true) return fields
        const key = fc.string({ maxLength: 12 }).filter((k) => !k.includes("\u0000"))
        return fc.tuple(fields, fc.dictionary(key, storableJson(fc), { maxKeys: 4 }))
          .map(([declared, extra]) => ({ ...extra, ...declared }))
      }
    }
    return storableJson(fc)
  }
  return go
}
