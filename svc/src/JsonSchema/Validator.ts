import type { AnySchema, ValidateFunction } from "ajv"
import * as Either from "effect/Either"
import { createHash } from "node:crypto"
import { makeAjv, metaSchemaProblem } from "./Ajv.js"
import { BudgetExceeded, CheckAbandoned, currentPath, metered } from "./Budget.js"
import { ServiceBusy } from "../Domain/Errors.js"
import { canonicalJson } from "./CanonicalJson.js"
import { withCosts } from "./CostKeyword.js"
import type { Draft } from "./Dialect.js"
import { InvalidSchema, type ValidationIssue, type ValidationResult } from "./Errors.js"
import { issueOf } from "./Issues.js"
import { maxCachedSchemaBytes, maxCachedSchemas, maxReportedErrors, patternMillisGuard } from "./Limits.js"
import { Lru } from "../Domain/Lru.js"
import { checkSchema } from "./SchemaChecks.js"

type Outcome = Either.Either<ValidationResult, BudgetExceeded>

/**
 * Runs a compiled function on a fresh meter; what stops it early (meter, endless recursion, RE2's heap) is
 * Left. So is a TypeError from Ajv's own code in a function that `collects` every error: after a failed `anyOf` or
 * `oneOf` it can go on to record `patternProperties` as evaluated in an object it never made
 * (`{"patternProperties":{"^a":{}},"anyOf":[{"additionalProperties":{"type":"integer"}}]}` on `{"a":""}`).
 * A validator that stops at the first failure never goes on, and answers.
 */
const run = (validate: ValidateFunction, collects: boolean, config: unknown, unitLimit?: number, guarded?: boolean): Outcome =>
  metered(() => {
    try {
      const valid = validate(config) === true
      const errors = valid ? [] : (validate.errors ?? []).slice(0, maxReportedErrors).map(issueOf)
      return Either.right({ valid, errors })
    } catch (e) {
      if (e instanceof BudgetExceeded) return Either.left(e)
      if (e instanceof RangeError) return Either.left(new BudgetExceeded("recursion", currentPath(), e.message))
      if (e instanceof WebAssembly.RuntimeError) {
        return Either.left(new BudgetExceeded("patternEngine", currentPath(), e.message))
      }
      if (e instanceof TypeError && collects) return Either.left(new BudgetExceeded("collecting", currentPath(), e.message))
      throw e
    } finally {
      validate.errors = null
    }
  }, unitLimit, guarded)

const stoppedIssue = ({ detail, kind, path }: BudgetExceeded): ValidationIssue => {
  switch (kind) {
    case "patternText":
      return { path, keyword: "pattern", message: detail }
    case "patternEngine":
      return { path, keyword: "pattern", message: "cannot be checked: the regular-expression engine ran out of memory" }
    case "recursion":
      return { path, keyword: "$ref", message: "cannot be checked: the schema's references loop here without end" }
    default:
      return { path, keyword: "limit", message: `cannot be checked: the schema needs ${detail} for this configuration` }
  }
}

/** A schema compiled once, for checking any number of configurations with `validate`. */
export class Validator {
  private firstFailureOnly: ValidateFunction | undefined

  constructor(
    readonly draft: Draft,
    /** SHA-256 of the schema's canonical JSON: equal schemas, one compilation. */
    readonly digest: string,
    private readonly compiled: AnySchema,
    private readonly collectAll: ValidateFunction
  ) {}

  /** The answer, or what stopped the check before it could give one; throws `CheckAbandoned` when `guarded`. */
  outcome(config: unknown, unitLimit?: number, guarded = true): Outcome {
    const all = run(this.collectAll, true, config, unitLimit, guarded)
    // Too many errors to collect, or Ajv tripped collecting them: the first, from a validator that stops
    // there, still says whether it conforms.
    return Either.isLeft(all) && (all.left.kind === "errors" || all.left.kind === "collecting")
      ? run(this.firstOnly(), false, config, unitLimit, guarded)
      : all
  }

  private firstOnly() {
    return this.firstFailureOnly ??= makeAjv(this.draft, false).compile(this.compiled)
  }
}

const abandoned = new ServiceBusy({
  message: `the service gave up checking this configuration after ${patternMillisGuard / 1000} s in the schema's ` +
    "regular expressions: it is busy, or the patterns are costly for this configuration; retry shortly"
})

const answer = (validator: Validator, config: unknown, guarded: boolean): ValidationResult =>
  Either.getOrElse(validator.outcome(config, undefined, guarded), (stopped) => ({ valid: false, errors: [stoppedIssue(stopped)] }))

/**
 * Whether the configuration conforms, and if not, up to `maxReportedErrors` reasons: a function of
 * the schema and the configuration alone, however long RE2 takes over it (within its counted
 * steps). For tests and tools; the service uses `check`. Never throws.
 */
export const validate = (validator: Validator, config: unknown): ValidationResult => answer(validator, config, false)

/**
 * `validate`'s answer as the service gives it: Left `ServiceBusy` when the check was given up after
 * `patternMillisGuard` in RE2 (no answer about the configuration). Never throws.
 */
export const check = (validator: Validator, config: unknown): Either.Either<ValidationResult, ServiceBusy> => {
  try {
    return Either.right(answer(validator, config, true))
  } catch (e) {
    if (e instanceof CheckAbandoned) return Either.left(abandoned)
    throw e
  }
}

/** Small values every schema must check cheaply; one that cannot loops or fans out without end. */
const probes = [null, true, 0, "", [], {}]
const probeBudget = 200_000

const probeProblem = (probe: unknown, { detail, kind }: BudgetExceeded): string =>
  kind === "recursion"
    ? `its references ($ref) loop without end: checking even ${JSON.stringify(probe)} never finishes`
    : kind === "patternEngine"
    ? "its patterns exhaust the regular-expression engine"
    : `checking even ${JSON.stringify(probe)} against it takes ${detail}: its references fan out too much`

const compileProblem = (e: unknown): string => {
  if (e instanceof RangeError) return "its references ($ref) nest too deeply or lead into each other without end"
  if (e instanceof Error && "missingRef" in e) {
    return `$ref ${JSON.stringify(e.missingRef)} cannot be resolved inside the schema (no other documents are loaded)`
  }
  return e instanceof Error ? e.message.replace(/^strict mode: /, "") : String(e)
}

const compile = (schema: unknown, draft: Draft, digest: string): Either.Either<Validator, InvalidSchema> => {
  const metaProblem = metaSchemaProblem(schema, draft)
  if (metaProblem !== undefined) return Either.left(InvalidSchema.of(metaProblem))
  const compiled = withCosts(schema) as AnySchema
  let collectAll: ValidateFunction
  try {
    collectAll = makeAjv(draft, true).compile(compiled)
  } catch (e) {
    return Either.left(InvalidSchema.of(compileProblem(e)))
  }
  const validator = new Validator(draft, digest, compiled, collectAll)
  for (const probe of probes) {
    const outcome = validator.outcome(probe, probeBudget, false)
    if (Either.isLeft(outcome)) return Either.left(InvalidSchema.of(probeProblem(probe, outcome.left)))
  }
  return Either.right(validator)
}

const cache = new Lru<string, Either.Either<Validator, InvalidSchema>>(maxCachedSchemas, maxCachedSchemaBytes)

/**
 * A validator for a JSON Schema (draft 2020-12, or draft-07 when its `$schema` says so), compiled once
 * per distinct schema, or `InvalidSchema` saying why it cannot be one. Pass `byteLength` when the schema
 * came as a request body of that many bytes: the size limit is on the schema as sent.
 */
export const compileSchema = (
  schema: unknown,
  options: { readonly byteLength?: number } = {}
): Either.Either<Validator, InvalidSchema> => {
  const draft = checkSchema(schema, options.byteLength)
  if (Either.isLeft(draft)) return Either.left(InvalidSchema.of(draft.left))
  const text = canonicalJson(schema)
  const digest = createHash("sha256").update(text).digest("hex")
  const cached = cache.get(digest)
  if (cached) return cached
  const compiled = compile(schema, draft.right, digest)
  cache.set(digest, compiled, text.length)
  return compiled
}
