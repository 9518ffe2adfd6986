import { ApiError } from "../Domain/ApiError.js"
import * as Schema from "effect/Schema"
import { ApplicationId, ConfigurationId } from "../Domain/Ids.js"
import { maxListedViolations, maxReportedErrors, maxViolationErrors } from "./Limits.js"

/** One way a configuration fails its schema: where (a JSON Pointer into the configuration, "" for the whole). */
export const ValidationIssue = Schema.Struct({ path: Schema.String, keyword: Schema.String, message: Schema.String })
export type ValidationIssue = typeof ValidationIssue.Type

export const ValidationResult = Schema.Struct({
  valid: Schema.Boolean,
  errors: Schema.Array(ValidationIssue).pipe(Schema.maxItems(maxReportedErrors))
})
export type ValidationResult = typeof ValidationResult.Type

export class InvalidSchema extends ApiError<InvalidSchema>()("InvalidSchema", 400) {
  static of(reason: string) {
    return new InvalidSchema({ message: `invalid JSON Schema: ${reason}` })
  }
}

export class ConfigurationInvalid extends ApiError<ConfigurationInvalid>()("ConfigurationInvalid", 422, {
  errors: ValidationResult.fields.errors
}) {
  static of(errors: ReadonlyArray<ValidationIssue>) {
    const count = errors.length >= maxReportedErrors
      ? `${maxReportedErrors} or more errors (the first ${maxReportedErrors} are listed)`
      : errors.length === 1
      ? "1 error"
      : `${errors.length} errors`
    return new ConfigurationInvalid({
      message: `the configuration does not conform to the application's schema: ${count}`,
      errors
    })
  }

  /** The error for a failed validation, or undefined when it passed. */
  static fromResult(result: ValidationResult): ConfigurationInvalid | undefined {
    return result.valid ? undefined : ConfigurationInvalid.of(result.errors)
  }
}

export class SchemaNotFound extends ApiError<SchemaNotFound>()("SchemaNotFound", 404, { id: ApplicationId }) {
  static of(id: ApplicationId) {
    return new SchemaNotFound({ id, message: `application ${id} has no schema` })
  }
}

/** A configuration that does not conform to a schema, with its first errors. */
export const Violation = Schema.Struct({
  id: ConfigurationId,
  name: Schema.String,
  errors: Schema.Array(ValidationIssue).pipe(Schema.maxItems(maxViolationErrors))
}).annotations({ identifier: "Violation" })
export type Violation = typeof Violation.Type

export class SchemaViolated extends ApiError<SchemaViolated>()("SchemaViolated", 409, {
  configurations: Schema.Array(Violation).pipe(Schema.maxItems(maxListedViolations))
}) {
  static of(violations: ReadonlyArray<Violation>) {
    const listed = violations.length > maxListedViolations ? ` (the first ${maxListedViolations} are listed)` : ""
    return new SchemaViolated({
      message: `${violations.length === 1 ? "1 configuration" : `${violations.length} configurations`} of the ` +
        `application ${violations.length === 1 ? "does" : "do"} not conform to this schema${listed}; ` +
        "fix them first, or pass ?force=true to attach it anyway",
      configurations: violations.slice(0, maxListedViolations)
    })
  }
}
