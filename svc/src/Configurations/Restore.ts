import type { SqlClient } from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import { cacheKey as applicationKey } from "../Applications/Resource.js"
import type { ReadCache } from "../ChangeFeed/ReadCache.js"
import { type Guard, preconditionHolds, untracedStack } from "../Postgres/Repository.js"
import { foreignKeyViolation, mapSqlError, sqlState, uniqueViolation } from "../Postgres/SqlErrors.js"
import { ConfigurationNameTaken, ConfigurationNotFound, PreconditionFailed } from "../Domain/Errors.js"
import type { Precondition } from "../Domain/ETag.js"
import type { ApplicationId, ConfigurationId } from "../Domain/Ids.js"
import type { Actor } from "../Domain/Version.js"
import { recordVersions, schemaHeld } from "../History/Record.js"
import { missingVersion } from "../History/Repo.js"
import { prune } from "../History/Retention.js"
import { type CurrentSchemas, schemaChanged } from "../Schemas/Current.js"
import { cacheKey, render, type RenderedConfiguration, tagFrom, tagOf } from "./Resource.js"

/** The configuration as a restore left it; `created` when it brought a deleted one back. */
export interface Restored {
  readonly configuration: RenderedConfiguration
  readonly created: boolean
}

/** First key of the advisory locks `(restoreLocks, hashtext(id))`, apart from the migrator's one-number key. */
const restoreLocks = 0x72657374

/**
 * `restore(id, version, precondition, actor)`: writes a new version (`op: restore`) equal to
 * `version`'s name, comments and config. A live configuration is updated; a deleted one is
 * inserted again under its id, in its application, numbered on from its tombstone. `If-Match`
 * names the current tag: the configuration's version, or, while it is deleted, its tombstone's.
 */
export const makeRestore = (options: {
  readonly sql: SqlClient
  readonly cache: ReadCache
  readonly guard: Guard
  readonly keep: number
  readonly schemas: CurrentSchemas
}) => {
  const { cache, guard, keep, schemas, sql } = options

  const write = (id: ConfigurationId, version: number, precondition: Precondition, actor: Actor, schemaVersion: number) =>
    sql<RenderedConfiguration & { application_id: ApplicationId; created: boolean }>`
      WITH source AS (
        SELECT v.application_id, v.name, v.comments, v.config,
               (SELECT max(version) FROM configuration_versions WHERE configuration_id = ${id}) AS latest
        FROM configuration_versions v
        WHERE v.configuration_id = ${id} AND v.version = ${version}),
      revived AS (
        UPDATE configurations AS c
        SET name = s.name, comments = s.comments, config = s.config, version = c.version + 1, updated_at = now()
        FROM source s
        WHERE c.id = ${id} AND ${preconditionHolds(sql, tagOf, precondition)}
        RETURNING c.*),
      reinserted AS (
        INSERT INTO configurations (id, application_id, name, comments, config, version)
        SELECT ${id}, s.application_id, s.name, s.comments, s.config, s.latest + 1
        FROM source s
        WHERE NOT EXISTS (SELECT 1 FROM configurations c WHERE c.id = ${id})
          AND ${preconditionHolds(sql, tagFrom("s.latest"), precondition)}
        RETURNING *),
      written AS (
        SELECT *, 'restore' AS op, false AS created FROM revived
        UNION ALL
        SELECT *, 'restore' AS op, true AS created FROM reinserted),
      ${recordVersions(sql, actor, schemaVersion)}
      SELECT r.*, w.application_id, w.created
      FROM (${render(sql, sql`written c WHERE ${schemaHeld(sql)}`)}) r JOIN written w ON w.id = r.id`

  /** Why a restore wrote nothing though the version was there when it began. */
  const explainMiss = (id: ConfigurationId, version: number) =>
    Effect.gen(function*() {
      const kept = yield* sql`
        SELECT 1 FROM configuration_versions WHERE configuration_id = ${id} AND version = ${version}`
      return kept.length > 0 ? yield* PreconditionFailed.instance : yield* missingVersion(sql, id, version)
    })

  return Effect.fn("Configurations/Repo.restore", untracedStack)(
    function*(id: ConfigurationId, version: number, precondition: Precondition, actor: Actor) {
      const restored = yield* schemas.retrying((fresh) => sql.withTransaction(Effect.gen(function*() {
        // Restores of one configuration take turns: while it is deleted nothing else can bring it
        // back, so a restore that sees it deleted numbers it on from the tombstone it sees.
        yield* sql`SELECT pg_advisory_xact_lock(${restoreLocks}, hashtext(${id}))`
        const [source] = yield* sql<{ name: string; application_id: ApplicationId; config: unknown }>`
          SELECT name, application_id, config FROM configuration_versions
          WHERE configuration_id = ${id} AND version = ${version}`
        if (source === undefined) return yield* missingVersion(sql, id, version)
        const schemaVersion = yield* schemas.admit(source.application_id, source.config, fresh).pipe(
          Effect.catchTag("ApplicationNotFound", () => Effect.fail(ConfigurationNotFound.of(id)))
        )
        const attempt = write(id, version, precondition, actor, schemaVersion).pipe(
          // A schema change (CS001) is left to `retrying`, which tries again.
          Effect.catchIf(
            (error) => error._tag === "SqlError" && sqlState(error) !== schemaChanged,
            mapSqlError<ConfigurationNameTaken | ConfigurationNotFound>({
            [uniqueViolation]: () => ConfigurationNameTaken.of(source.name),
            // Its application, deleted meanwhile, took the configuration's versions with it.
            [foreignKeyViolation]: () => ConfigurationNotFound.of(id)
            })
          )
        )
        // A delete committed after the first attempt took its snapshot leaves it nothing to update
        // and no tombstone to see; the second attempt sees the tombstone.
        const first = yield* attempt
        const [row] = first.length > 0 ? first : yield* attempt
        if (row === undefined) return yield* explainMiss(id, version)
        if (keep > 0) yield* prune(sql, id, keep)
        return row
      })))
      yield* cache.changed(cacheKey(id), ...(restored.created ? [applicationKey(restored.application_id)] : []))
      const { etag, json } = restored
      return { configuration: { id, etag, json }, created: restored.created } satisfies Restored
    },
    (effect) => guard()(effect)
  )
}
