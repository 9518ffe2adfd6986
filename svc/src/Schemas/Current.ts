import * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { ReadCache } from "../ChangeFeed/ReadCache.js"
import { sqlState } from "../Postgres/SqlErrors.js"
import { ApplicationNotFound, DatabaseUnavailable, type ServiceBusy } from "../Domain/Errors.js"
import type { ApplicationId } from "../Domain/Ids.js"
import { ConfigurationInvalid, type InvalidSchema, type ValidationResult } from "../JsonSchema/Errors.js"
import { cacheKey, current, type CurrentSchema } from "./Resource.js"
import { check as checkAgainst, compileSchema, type Validator } from "../JsonSchema/Validator.js"

/** SQLSTATE of `config_service_require_schema` (migration 0005): a schema write committed during the write. */
export const schemaChanged = "CS001"

/** Attempts of a write that keeps meeting schema changes, before it gives up with a 503. */
const maxAttempts = 100

const isSchemaChange = (error: unknown) => error instanceof SqlError && sqlState(error) === schemaChanged

const noSchema: ValidationResult = { valid: true, errors: [] }

/** Each rendered schema's validator, compiled on its first check (`compileSchema` shares equal schemas'). */
const validators = new WeakMap<object, Either.Either<Validator, InvalidSchema>>()

const validatorOf = (schema: NonNullable<CurrentSchema["schema"]>) => {
  let compiled = validators.get(schema)
  if (compiled === undefined) {
    compiled = compileSchema(JSON.parse(schema.json).schema)
    validators.set(schema, compiled)
  }
  return compiled
}

/**
 * Whether `config` conforms to `found`'s schema (valid when there is none): what `POST /validate`
 * answers; `ServiceBusy` when the check was given up (see `check`).
 */
export const conformance = (found: CurrentSchema, config: unknown): Either.Either<ValidationResult, ServiceBusy> => {
  if (found.schema === undefined) return Either.right(noSchema)
  const compiled = validatorOf(found.schema)
  return Either.isRight(compiled)
    ? checkAgainst(compiled.right, config)
    : Either.right({ valid: false, errors: [{ path: "", keyword: "$schema", message: compiled.left.message }] })
}

/**
 * The current schema of each application, as configuration writes and `POST /validate` check
 * against it: read through the read cache (key `schemaKey(id)`), compiled once per distinct schema.
 */
export class CurrentSchemas extends Effect.Service<CurrentSchemas>()("Schemas/Current", {
  dependencies: [ReadCache.Default],
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const cache = yield* ReadCache
    const load = (id: ApplicationId) =>
      Effect.map(current(sql, id), ([row]): CurrentSchema | undefined =>
        row === undefined ? undefined : {
          schema_version: row.schema_version,
          schema: row.json === null ? undefined : { id, etag: row.etag!, json: row.json }
        })

    /** The application's schema; `fresh` reads past the cache (after a write found it changed). */
    const read = (id: ApplicationId, fresh = false) =>
      Effect.flatMap(
        fresh ? load(id) : cache.through(cacheKey(id), load(id)),
        (found) => (found === undefined ? Effect.fail(ApplicationNotFound.of(id)) : Effect.succeed(found))
      )

    /** Whether `config` conforms to the application's schema now (valid when it has none). */
    const check = (id: ApplicationId, config: unknown) => Effect.flatMap(read(id), (found) => conformance(found, config))

    /** The `schema_version` a write of `config` must find (see `recordVersions`), once `config` conforms. */
    const admit = (id: ApplicationId, config: unknown, fresh: boolean) =>
      Effect.flatMap(read(id, fresh), (found) =>
        Effect.flatMap(conformance(found, config), (result) => {
          const invalid = ConfigurationInvalid.fromResult(result)
          return invalid === undefined ? Effect.succeed(found.schema_version) : Effect.fail(invalid)
        }))

    /**
     * `attempt(fresh)`, again with `fresh` while it fails because a schema write committed during
     * it (SQLSTATE `schemaChanged`): each such failure means a schema write went through.
     */
    const retrying = <A, E, R>(attempt: (fresh: boolean) => Effect.Effect<A, E, R>) =>
      attempt(false).pipe(
        Effect.catchIf(isSchemaChange, () =>
          Effect.retry(attempt(true), { while: isSchemaChange, times: maxAttempts })),
        Effect.catchIf(isSchemaChange, () => Effect.fail(DatabaseUnavailable.instance))
      )

    /** `write(schemaVersion)` of a configuration of application `id` once `config` conforms to its schema. */
    const conforming = <A, E, R>(
      id: ApplicationId,
      config: unknown,
      write: (schemaVersion: number) => Effect.Effect<A, E, R>
    ) => retrying((fresh) => Effect.flatMap(admit(id, config, fresh), write))

    return { read, check, admit, retrying, conforming } as const
  })
}) {}
