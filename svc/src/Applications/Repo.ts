import * as Effect from "effect/Effect"
import { ConfigurationsRepo } from "../Configurations/Repo.js"
import { ReadCache } from "../ChangeFeed/ReadCache.js"
import { firstRow, preconditionHolds, repositoryTools, untracedStack } from "../Postgres/Repository.js"
import { foreignKeyViolation, uniqueViolation } from "../Postgres/SqlErrors.js"
import type { ApplicationInput } from "../Domain/Application.js"
import {
  ApplicationHasConfigurations,
  ApplicationNameTaken,
  ApplicationNotFound,
  PreconditionFailed
} from "../Domain/Errors.js"
import type { Precondition } from "../Domain/ETag.js"
import { type ApplicationId, type ConfigurationId, makeApplicationId } from "../Domain/Ids.js"
import type { Actor } from "../Domain/Version.js"
import {
  cacheKey,
  configurationIdsOf,
  listKey,
  listsDropOn,
  readById,
  render,
  type RenderedApplication,
  tagOf
} from "./Resource.js"
import { cacheKey as schemaKey } from "../Schemas/Resource.js"

export interface RemoveOptions {
  readonly cascade: boolean
  readonly precondition?: Precondition
  /** Who deletes: recorded on each configuration the cascade deletes. */
  readonly actor: Actor
}

export interface Page {
  readonly limit?: number | undefined
  readonly after?: ApplicationId | undefined
}

/**
 * Applications in SQL. Reads and writes yield what PostgreSQL rendered in the same statement
 * (decode with `Resource.typed` for domain values).
 */
export class ApplicationsRepo extends Effect.Service<ApplicationsRepo>()("Applications/Repo", {
  dependencies: [ReadCache.Default, ConfigurationsRepo.Default],
  effect: Effect.gen(function*() {
    const { sql, guard } = yield* repositoryTools
    const cache = yield* ReadCache
    const configurations = yield* ConfigurationsRepo

    /** Why a write matched no row: no such application, or a stale `If-Match`. */
    const explainMiss = (id: ApplicationId) =>
      Effect.flatMap(
        sql`SELECT 1 FROM applications WHERE id = ${id}`,
        (rows) => Effect.fail(rows.length === 0 ? ApplicationNotFound.of(id) : PreconditionFailed.instance)
      )

    const create = Effect.fn("Applications/Repo.create", untracedStack)(
      function*(input: ApplicationInput) {
        const [created] = yield* sql<RenderedApplication>`
          WITH inserted AS (
            INSERT INTO applications (id, name, comments) VALUES (${makeApplicationId()}, ${input.name}, ${input.comments ?? null})
            RETURNING *)
          ${render(sql, sql`inserted a`)}`
        yield* cache.changed(cacheKey(created!.id))
        return created!
      },
      (effect, input) => guard({ [uniqueViolation]: () => ApplicationNameTaken.of(input.name) })(effect)
    )

    const get = (id: ApplicationId) =>
      cache.through(
        cacheKey(id),
        readById(sql, id).pipe(
          Effect.flatMap(firstRow(() => Effect.fail(ApplicationNotFound.of(id)))),
          guard()
        )
      )

    /** Applications ordered by id; with `limit`, one page after `after`. */
    const list = (page: Page = {}) =>
      cache.through(
        listKey(page),
        render(
          sql,
          sql`applications a
              WHERE ${page.after === undefined ? sql`true` : sql`a.id > ${page.after}`}
              ORDER BY a.id ${page.limit === undefined ? sql`` : sql`LIMIT ${page.limit}`}`
        ).pipe(guard()),
        { droppedBy: listsDropOn }
      )

    /** Replaces name and comments while the `If-Match` tags (when given) match: check and write are one statement. */
    const update = Effect.fn("Applications/Repo.update", untracedStack)(
      function*(id: ApplicationId, input: ApplicationInput, precondition: Precondition = "any") {
        const updated = yield* sql<RenderedApplication>`
          WITH updated AS (
            UPDATE applications AS a
            SET name = ${input.name}, comments = ${input.comments ?? null}, version = a.version + 1, updated_at = now()
            WHERE a.id = ${id} AND ${preconditionHolds(sql, tagOf, precondition)}
            RETURNING a.*)
          ${render(sql, sql`updated a`)}`.pipe(Effect.flatMap(firstRow(() => explainMiss(id))))
        yield* cache.changed(cacheKey(id))
        return updated
      },
      (effect, _id, input) => guard({ [uniqueViolation]: () => ApplicationNameTaken.of(input.name) })(effect)
    )

    /**
     * Deletes the application. While it has configurations this fails with
     * `ApplicationHasConfigurations`, unless `cascade` deletes them too, in one transaction,
     * each with its `delete` version (which go with the application; their revisions stay taken).
     * The cascade locks the configurations before the application, as every configuration write
     * does, so it checks `If-Match` first and then that nothing it covered changed meanwhile.
     */
    const remove = Effect.fn("Applications/Repo.remove", untracedStack)(
      function*(id: ApplicationId, options: RemoveOptions) {
        const precondition = options.precondition ?? "any"
        const matches = preconditionHolds(sql, tagOf, precondition)
        if (!options.cascade) {
          const removed = yield* sql`DELETE FROM applications AS a WHERE a.id = ${id} AND ${matches} RETURNING a.id`
          if (removed.length === 0) return yield* explainMiss(id)
          return yield* cache.changed(cacheKey(id), schemaKey(id))
        }
        yield* sql.withTransaction(Effect.gen(function*() {
          const [target] = yield* sql<{ version: number; configuration_ids: ReadonlyArray<ConfigurationId> }>`
            SELECT a.version, ${sql.literal(configurationIdsOf)} AS configuration_ids
            FROM applications a WHERE a.id = ${id} AND ${matches}`
          if (target === undefined) return yield* explainMiss(id)
          const removedIds = yield* configurations.removeAllOf(id, options.actor)
          if (precondition !== "any" && removedIds.join() !== target.configuration_ids.join()) {
            return yield* PreconditionFailed.instance
          }
          const renamed = precondition === "any" ? sql`false` : sql`a.version <> ${target.version}`
          const removed = yield* sql`DELETE FROM applications a WHERE a.id = ${id} AND NOT ${renamed} RETURNING a.id`
          if (removed.length === 0) return yield* explainMiss(id)
        }))
        yield* cache.changed(cacheKey(id), schemaKey(id))
      },
      (effect, id) => guard({ [foreignKeyViolation]: () => ApplicationHasConfigurations.of(id) })(effect)
    )

    return { create, get, list, update, remove } as const
  })
}) {}
