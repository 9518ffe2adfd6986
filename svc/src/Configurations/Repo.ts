import * as Effect from "effect/Effect"
import { ReadCache } from "../ChangeFeed/ReadCache.js"
import { firstRow, preconditionHolds, repositoryTools, untracedStack } from "../Postgres/Repository.js"
import { foreignKeyViolation, uniqueViolation } from "../Postgres/SqlErrors.js"
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
import type { Actor } from "../Domain/Version.js"
import { cacheKey as applicationKey } from "../Applications/Resource.js"
import { recordVersions, schemaHeld } from "../History/Record.js"
import { KeepVersions, prune } from "../History/Retention.js"
import { CurrentSchemas } from "../Schemas/Current.js"
import { Lru } from "../Domain/Lru.js"
import { cacheKey, readById, render, type RenderedConfiguration, tagOf } from "./Resource.js"
import { makeRestore } from "./Restore.js"

/** SQL: a deleted configuration `c` as the version that records its deletion (a tombstone of its last state). */
const tombstoneOf = "c.id, c.application_id, c.name, c.comments, c.config, c.version + 1 AS version, 'delete' AS op"

/**
 * Configurations in SQL. Every write of a configuration goes through this repository — the
 * application's cascade delete included — and appends its version in the same statement
 * (`History/Record.ts`); each yields what PostgreSQL rendered in that statement (decode with
 * `Resource.typed` for domain values). `actor` names who wrote, null while the API is open.
 */
export class ConfigurationsRepo extends Effect.Service<ConfigurationsRepo>()("Configurations/Repo", {
  dependencies: [ReadCache.Default, CurrentSchemas.Default],
  effect: Effect.gen(function*() {
    const { sql, guard } = yield* repositoryTools
    const cache = yield* ReadCache
    const schemas = yield* CurrentSchemas
    /** A configuration's application never changes: its schema is found without a query. */
    const owners = new Lru<ConfigurationId, ApplicationId>(100_000, 100_000)
    const keep = yield* KeepVersions

    /** The write of configuration `id`, then, while retention is on, its pruning in the same transaction. */
    const retained = <A, E, R>(id: ConfigurationId, write: Effect.Effect<A, E, R>) =>
      keep === 0 ? write : sql.withTransaction(Effect.tap(write, () => prune(sql, id, keep)))

    const owner = (id: ConfigurationId) =>
      sql<{ application_id: ApplicationId }>`SELECT application_id FROM configurations WHERE id = ${id}`

    /** Why a write matched no row: no such configuration, or a stale `If-Match`. */
    const explainMiss = (id: ConfigurationId) =>
      Effect.flatMap(
        owner(id),
        (rows) => Effect.fail(rows.length === 0 ? ConfigurationNotFound.of(id) : PreconditionFailed.instance)
      )

    const ownerOf = (id: ConfigurationId) => {
      const known = owners.get(id)
      if (known !== undefined) return Effect.succeed(known)
      return Effect.flatMap(owner(id), (rows) => {
        if (rows.length === 0) return Effect.fail(ConfigurationNotFound.of(id))
        owners.set(id, rows[0]!.application_id, 1)
        return Effect.succeed(rows[0]!.application_id)
      })
    }

    const create = Effect.fn("Configurations/Repo.create", untracedStack)(
      function*(input: ConfigurationCreate, actor: Actor) {
        const created = yield* schemas.conforming(input.application_id, input.config, (schemaVersion) =>
          Effect.map(
            sql<RenderedConfiguration>`
              WITH written AS (
                INSERT INTO configurations (id, application_id, name, comments, config)
                VALUES (${makeConfigurationId()}, ${input.application_id}, ${input.name}, ${input.comments ?? null},
                        ${JSON.stringify(input.config)}::jsonb)
                RETURNING *, 'create' AS op),
              ${recordVersions(sql, actor, schemaVersion)}
              ${render(sql, sql`written c WHERE ${schemaHeld(sql)}`)}`,
            (rows) => rows[0]!
          )).pipe(Effect.catchTag("ApplicationNotFound", () => Effect.fail(UnknownApplication.of(input.application_id))))
        yield* cache.changed(cacheKey(created.id), applicationKey(input.application_id))
        return created
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
        readById(sql, id).pipe(
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
     * Replaces name, comments and config while the entity tag matches (when `If-Match` names tags):
     * the check and the write are one statement. A body's `application_id` must name the
     * configuration's own application, which never changes.
     */
    const update = Effect.fn("Configurations/Repo.update", untracedStack)(
      function*(id: ConfigurationId, input: ConfigurationUpdate, precondition: Precondition, actor: Actor) {
        const applicationId = yield* ownerOf(id)
        if (input.application_id !== undefined && input.application_id !== applicationId) {
          return yield* ApplicationIdImmutable.of(id)
        }
        const write = (schemaVersion: number) => sql<RenderedConfiguration>`
          WITH written AS (
            UPDATE configurations AS c
            SET name = ${input.name}, comments = ${input.comments ?? null}, config = ${JSON.stringify(input.config)}::jsonb,
                version = c.version + 1, updated_at = now()
            WHERE c.id = ${id} AND ${preconditionHolds(sql, tagOf, precondition)}
            RETURNING c.*, 'update' AS op),
          ${recordVersions(sql, actor, schemaVersion)}
          ${render(sql, sql`written c WHERE ${schemaHeld(sql)}`)}`
        const updated = yield* schemas.conforming(applicationId, input.config, (schemaVersion) =>
          retained(id, Effect.flatMap(write(schemaVersion), firstRow(() => explainMiss(id)))))
          .pipe(Effect.catchTag("ApplicationNotFound", () => Effect.fail(ConfigurationNotFound.of(id))))
        yield* cache.changed(cacheKey(id))
        return updated
      },
      (effect, _id, input) => guard({ [uniqueViolation]: () => ConfigurationNameTaken.of(input.name) })(effect)
    )

    /** Deletes the configuration, leaving its last state as a `delete` version. */
    const remove = Effect.fn("Configurations/Repo.remove", untracedStack)(
      function*(id: ConfigurationId, precondition: Precondition, actor: Actor) {
        const removed = yield* retained(id, sql<{ application_id: ApplicationId }>`
          WITH written AS (
            DELETE FROM configurations AS c WHERE c.id = ${id} AND ${preconditionHolds(sql, tagOf, precondition)}
            RETURNING ${sql.literal(tombstoneOf)}),
          ${recordVersions(sql, actor)}
          SELECT application_id FROM written`.pipe(Effect.flatMap(firstRow(() => explainMiss(id)))))
        yield* cache.changed(cacheKey(id), applicationKey(removed.application_id))
      },
      (effect) => guard()(effect)
    )

    /**
     * Deletes every configuration of the application, each with its `delete` version: the
     * cascade of `DELETE /applications/{id}`, run inside its transaction (so no guard of its
     * own). Yields the ids it removed, in order.
     *
     * It locks the configurations, then the application for its delete: `FOR UPDATE` at once, as
     * taking the revision's weaker lock and upgrading it later could deadlock with a create that
     * holds its foreign-key lock. Once the application is locked no configuration can be added;
     * those added meanwhile are locked too unless a writer holds one (it waits for the
     * application: waiting for it would deadlock), which is left, so the application's delete fails.
     */
    const removeAllOf = (applicationId: ApplicationId, actor: Actor) =>
      Effect.gen(function*() {
        yield* sql`SELECT 1 FROM configurations WHERE application_id = ${applicationId} ORDER BY id FOR UPDATE`
        yield* sql`SELECT 1 FROM applications WHERE id = ${applicationId} FOR UPDATE`
        const locked = yield* sql<{ id: ConfigurationId }>`
          SELECT id FROM configurations WHERE application_id = ${applicationId} ORDER BY id FOR UPDATE SKIP LOCKED`
        if (locked.length === 0) return []
        const removed = yield* sql<{ id: ConfigurationId }>`
          WITH written AS (
            DELETE FROM configurations AS c WHERE c.id IN ${sql.in(locked.map((row) => row.id))}
            RETURNING ${sql.literal(tombstoneOf)}),
          ${recordVersions(sql, actor)}
          SELECT id FROM written ORDER BY id`
        yield* cache.changed(...removed.map((row) => cacheKey(row.id)))
        return removed.map((row) => row.id)
      })

    const restore = makeRestore({ sql, cache, guard, keep, schemas })

    return { create, get, listByApplication, update, remove, removeAllOf, restore } as const
  })
}) {}
