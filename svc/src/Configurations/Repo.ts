import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import { ReadCache } from "../Database/ReadCache.js"
import { firstRow, makeGuard, satisfies, untracedStack } from "../Database/Repository.js"
import { foreignKeyViolation, uniqueViolation } from "../Database/SqlErrors.js"
import type { ConfigurationCreate, ConfigurationUpdate } from "../Domain/Configuration.js"
import {
  ApplicationIdImmutable,
  ApplicationNotFound,
  ConfigurationNameTaken,
  ConfigurationNotFound,
  PreconditionFailed,
  UnknownApplication
} from "../Domain/Errors.js"
import type { Precondition } from "../Domain/ETag.js"
import { type ApplicationId, type ConfigurationId, makeConfigurationId } from "../Domain/Ids.js"
import { cacheKey as applicationKey } from "../Applications/Resource.js"
import { cacheKey, render, type RenderedConfiguration, tagOf } from "./Resource.js"

/**
 * Configurations in SQL. Every write of a configuration goes through this repository — the
 * application's cascade delete included — and yields what PostgreSQL rendered in the same
 * statement (decode with `Resource.typed` for domain values).
 */
export class ConfigurationsRepo extends Effect.Service<ConfigurationsRepo>()("Configurations/Repo", {
  dependencies: [ReadCache.Default],
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const cache = yield* ReadCache
    const guard = yield* makeGuard

    const owner = (id: ConfigurationId) =>
      sql<{ application_id: ApplicationId }>`SELECT application_id FROM configurations WHERE id = ${id}`

    /** Why a write matched no row: no such configuration, or a stale `If-Match`. */
    const explainMiss = (id: ConfigurationId) =>
      Effect.flatMap(
        owner(id),
        (rows) => Effect.fail(rows.length === 0 ? ConfigurationNotFound.of(id) : PreconditionFailed.instance)
      )

    /** Why an update matched no row: as `explainMiss`, or a body naming another application. */
    const explainMissedUpdate = (id: ConfigurationId, applicationId: ApplicationId | undefined) =>
      Effect.flatMap(owner(id), (rows): Effect.Effect<never, ApplicationIdImmutable | ConfigurationNotFound | PreconditionFailed | SqlError> =>
        applicationId !== undefined && rows.length > 0 && rows[0]!.application_id !== applicationId
          ? Effect.fail(ApplicationIdImmutable.of(id))
          : explainMiss(id))

    const create = Effect.fn("Configurations/Repo.create", untracedStack)(
      function*(input: ConfigurationCreate) {
        const [created] = yield* sql<RenderedConfiguration>`
          WITH inserted AS (
            INSERT INTO configurations (id, application_id, name, comments, config)
            VALUES (${makeConfigurationId()}, ${input.application_id}, ${input.name}, ${input.comments ?? null},
                    ${JSON.stringify(input.config)}::jsonb)
            RETURNING *)
          ${render(sql, sql`inserted c`)}`
        yield* cache.changed(cacheKey(created!.id), applicationKey(input.application_id))
        return created!
      },
      (effect, input) =>
        guard<ConfigurationNameTaken | UnknownApplication>({
          [uniqueViolation]: () => ConfigurationNameTaken.of(input.name),
          [foreignKeyViolation]: () => UnknownApplication.of(input.application_id)
        })(effect)
    )

    const get = (id: ConfigurationId) =>
      cache.through(
        cacheKey(id),
        render(sql, sql`configurations c WHERE c.id = ${id}`).pipe(
          Effect.flatMap(firstRow(() => Effect.fail(ConfigurationNotFound.of(id)))),
          guard()
        )
      )

    /** The application's configurations ordered by id; `ApplicationNotFound` when there is no such application. */
    const listByApplication = Effect.fn("Configurations/Repo.listByApplication", untracedStack)(
      function*(applicationId: ApplicationId) {
        const configurations = yield* render(sql, sql`configurations c WHERE c.application_id = ${applicationId} ORDER BY c.id`)
        if (configurations.length > 0) return configurations
        const application = yield* sql`SELECT 1 FROM applications WHERE id = ${applicationId}`
        return application.length > 0 ? configurations : yield* ApplicationNotFound.of(applicationId)
      },
      (effect) => guard()(effect)
    )

    /**
     * Replaces name, comments and config while `application_id` (when given) and the entity
     * tag (when `If-Match` names tags) match: the checks and the write are one statement.
     */
    const update = Effect.fn("Configurations/Repo.update", untracedStack)(
      function*(id: ConfigurationId, input: ConfigurationUpdate, precondition: Precondition = "any") {
        const updated = yield* sql<RenderedConfiguration>`
          WITH updated AS (
            UPDATE configurations AS c
            SET name = ${input.name}, comments = ${input.comments ?? null}, config = ${JSON.stringify(input.config)}::jsonb,
                version = c.version + 1, updated_at = now()
            WHERE c.id = ${id}
              AND (${input.application_id ?? null}::text IS NULL OR c.application_id = ${input.application_id ?? null})
              AND ${satisfies(sql, tagOf, precondition)}
            RETURNING c.*)
          ${render(sql, sql`updated c`)}`.pipe(Effect.flatMap(firstRow(() => explainMissedUpdate(id, input.application_id))))
        yield* cache.changed(cacheKey(id))
        return updated
      },
      (effect, _id, input) => guard({ [uniqueViolation]: () => ConfigurationNameTaken.of(input.name) })(effect)
    )

    const remove = Effect.fn("Configurations/Repo.remove", untracedStack)(
      function*(id: ConfigurationId, precondition: Precondition = "any") {
        const [removed] = yield* sql<{ application_id: ApplicationId }>`
          DELETE FROM configurations AS c WHERE c.id = ${id} AND ${satisfies(sql, tagOf, precondition)}
          RETURNING c.application_id`
        if (removed === undefined) return yield* explainMiss(id)
        yield* cache.changed(cacheKey(id), applicationKey(removed.application_id))
      },
      (effect) => guard()(effect)
    )

    /**
     * Deletes every configuration of the application: the cascade of `DELETE /applications/{id}`,
     * run inside its transaction (so no guard of its own). Yields the ids it removed.
     */
    const removeAllOf = (applicationId: ApplicationId) =>
      sql<{ id: ConfigurationId }>`DELETE FROM configurations WHERE application_id = ${applicationId} RETURNING id`.pipe(
        Effect.tap((removed) => cache.changed(...removed.map((row) => cacheKey(row.id))))
      )

    return { create, get, listByApplication, update, remove, removeAllOf } as const
  })
}) {}
