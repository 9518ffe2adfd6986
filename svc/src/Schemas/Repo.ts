import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { ReadCache } from "../ChangeFeed/ReadCache.js"
import { preconditionHolds, repositoryTools, untracedStack } from "../Postgres/Repository.js"
import { ApplicationNotFound, PreconditionFailed } from "../Domain/Errors.js"
import type { Precondition } from "../Domain/ETag.js"
import type { ApplicationId, ConfigurationId } from "../Domain/Ids.js"
import type { Actor } from "../Domain/Version.js"
import { CurrentSchemas } from "./Current.js"
import { SchemaNotFound, SchemaViolated, type Violation } from "../JsonSchema/Errors.js"
import { maxViolationErrors } from "../JsonSchema/Limits.js"
import { cacheKey, render, type RenderedSchema, tagOf } from "./Resource.js"
import { check as checkAgainst, compileSchema, type Validator } from "../JsonSchema/Validator.js"

export interface PutOptions {
  /** Bytes of the schema as sent. */
  readonly byteLength: number
  /** Attach it even though configurations do not conform. */
  readonly force: boolean
  readonly precondition: Precondition
  readonly actor: Actor
}

/** The schema as a write left it; `created` when the application had none. */
export interface Written {
  readonly schema: RenderedSchema
  readonly created: boolean
}

/**
 * Applications' schemas in SQL. A schema write first bumps its application's `schema_version`,
 * which locks the application's row until it commits: configuration writes in flight finish
 * before it reads the configurations, and those after it wait, then see the change (migration 0005).
 */
export class SchemasRepo extends Effect.Service<SchemasRepo>()("Schemas/Repo", {
  dependencies: [ReadCache.Default, CurrentSchemas.Default],
  effect: Effect.gen(function*() {
    const { sql, guard } = yield* repositoryTools
    const cache = yield* ReadCache
    const schemas = yield* CurrentSchemas

    const get = (id: ApplicationId) =>
      schemas.read(id).pipe(
        Effect.flatMap((found) => (found.schema === undefined ? Effect.fail(SchemaNotFound.of(id)) : Effect.succeed(found.schema))),
        guard()
      )

    /** Locks the application against configuration writes until commit; its next schema version. */
    const nextVersion = (id: ApplicationId) =>
      Effect.flatMap(
        sql<{ schema_version: number }>`
          UPDATE applications SET schema_version = schema_version + 1 WHERE id = ${id} RETURNING schema_version`,
        (rows) => (rows.length === 0 ? Effect.fail(ApplicationNotFound.of(id)) : Effect.succeed(rows[0]!.schema_version))
      )

    const requireTag = (id: ApplicationId, precondition: Precondition) =>
      precondition === "any" ? Effect.void : Effect.flatMap(
        sql`SELECT 1 FROM application_schemas s WHERE s.application_id = ${id} AND ${preconditionHolds(sql, tagOf, precondition)}`,
        (rows) => (rows.length === 0 ? Effect.fail(PreconditionFailed.instance) : Effect.void)
      )

    /** The application's configurations that do not conform to `validator`, in id order. */
    const violations = (id: ApplicationId, validator: Validator) =>
      Effect.flatMap(
        sql<{ id: ConfigurationId; name: string; config: unknown }>`
          SELECT id, name, config FROM configurations WHERE application_id = ${id} ORDER BY id`,
        (rows) =>
          Effect.map(
            Effect.forEach(rows, (row) =>
              Effect.map(checkAgainst(validator, row.config), (result): Array<Violation> =>
                result.valid ? [] : [{ id: row.id, name: row.name, errors: result.errors.slice(0, maxViolationErrors) }])),
            (found) => found.flat()
          )
      )

    const put = Effect.fn("Schemas/Repo.put", untracedStack)(
      function*(id: ApplicationId, schema: unknown, options: PutOptions) {
        const compiled = compileSchema(schema, { byteLength: options.byteLength })
        if (Either.isLeft(compiled)) return yield* compiled.left
        const written = yield* sql.withTransaction(Effect.gen(function*() {
          const version = yield* nextVersion(id)
          yield* requireTag(id, options.precondition)
          if (!options.force) {
            const refused = yield* violations(id, compiled.right)
            if (refused.length > 0) return yield* SchemaViolated.of(refused)
          }
          const [row] = yield* sql<RenderedSchema & { created: boolean }>`
            WITH written AS (
              INSERT INTO application_schemas AS s (application_id, schema, version, actor)
              VALUES (${id}, ${JSON.stringify(schema)}::jsonb, ${version}, ${options.actor})
              ON CONFLICT (application_id) DO UPDATE
                SET schema = EXCLUDED.schema, version = EXCLUDED.version, updated_at = now(), actor = EXCLUDED.actor
              RETURNING s.*, (s.xmax = 0) AS created)
            SELECT r.*, w.created FROM (${render(sql, sql`written s`)}) r JOIN written w ON w.application_id = r.id`
          return row!
        }))
        yield* cache.changed(cacheKey(id))
        const { created, etag, json } = written
        return { schema: { id, etag, json }, created } satisfies Written
      },
      (effect) => guard()(effect)
    )

    const remove = Effect.fn("Schemas/Repo.remove", untracedStack)(
      function*(id: ApplicationId, precondition: Precondition) {
        yield* sql.withTransaction(Effect.gen(function*() {
          yield* nextVersion(id)
          const removed = yield* sql`
            DELETE FROM application_schemas s WHERE s.application_id = ${id} AND ${preconditionHolds(sql, tagOf, precondition)}
            RETURNING 1`
          if (removed.length > 0) return
          const [kept] = yield* sql`SELECT 1 FROM application_schemas WHERE application_id = ${id}`
          return yield* (kept === undefined ? SchemaNotFound.of(id) : PreconditionFailed.instance)
        }))
        yield* cache.changed(cacheKey(id))
      },
      (effect) => guard()(effect)
    )

    /** A dry run: whether `config` conforms to the application's schema now. */
    const check = (id: ApplicationId, config: unknown) => guard()(schemas.check(id, config))

    return { get, put, remove, check } as const
  })
}) {}
