import * as Effect from "effect/Effect"
import * as Applications from "../Applications/Resource.js"
import * as Configurations from "../Configurations/Resource.js"
import type { Rendered } from "../Postgres/SqlJson.js"
import { firstRow, repositoryTools, untracedStack } from "../Postgres/Repository.js"
import { ApplicationNotFound } from "../Domain/Errors.js"
import type { ApplicationId, ConfigurationId } from "../Domain/Ids.js"
import { ApplicationNameNotFound, ConfigurationNameNotFound } from "../Domain/NameErrors.js"
import { changeOf, changesAfter } from "../History/Resource.js"

/** A change as a watch stream sends it: its revision and its `data:`. */
export interface RenderedEvent {
  readonly revision: number
  readonly json: string
}

/**
 * SQL over versions `v`: when the configuration was created, as of version `v`. The row's own
 * `created_at` while no delete came after `v` (a restore may have brought it back since), else
 * that of the first kept version after the last delete before `v`.
 */
const createdAt = `COALESCE(
  (SELECT c.created_at FROM configurations c WHERE c.id = v.configuration_id AND NOT EXISTS (
     SELECT 1 FROM configuration_versions d
     WHERE d.configuration_id = v.configuration_id AND d.op = 'delete' AND d.version > v.version)),
  (SELECT s.created_at FROM configuration_versions s
   WHERE s.configuration_id = v.configuration_id AND s.version <= v.version AND NOT EXISTS (
     SELECT 1 FROM configuration_versions d
     WHERE d.configuration_id = v.configuration_id AND d.op = 'delete'
       AND d.version >= s.version AND d.version < v.version)
   ORDER BY s.version LIMIT 1))`

/** SQL over versions `v`: the configuration as `GET /configurations/{id}` answered right after `v` was written. */
const configurationAfter = `(SELECT row_to_json(t)::text FROM (
  SELECT ${Configurations.fieldsOf("v", "v.configuration_id", createdAt, "v.created_at")}) t)`

/** SQL over versions `v`: the columns of a `RenderedEvent`, the change as `/changes` lists it with `configuration` unless it was a delete. */
const eventColumns = `v.revision::float8 AS revision, CASE WHEN v.op = 'delete' THEN ${changeOf}
  ELSE left(${changeOf}, -1) || ',"configuration":' || ${configurationAfter} || '}' END AS json`

/**
 * What watches read: resources by name, an application's snapshot and its changes with the
 * configuration each left, all rendered by PostgreSQL in one statement each.
 */
export class WatchRepo extends Effect.Service<WatchRepo>()("Watch/Repo", {
  effect: Effect.gen(function*() {
    const { sql, guard } = yield* repositoryTools

    const applicationNamed = Effect.fn("Watch/Repo.applicationNamed", untracedStack)(
      function*(name: string) {
        const rows = yield* Applications.render(sql, sql`applications a WHERE a.name = ${name}`)
        return yield* firstRow(() => Effect.fail(ApplicationNameNotFound.of(name)))(rows)
      },
      (effect) => guard()(effect)
    )

    /** The configuration, with its application's id (a read by name waits on both). */
    const configurationNamed = Effect.fn("Watch/Repo.configurationNamed", untracedStack)(
      function*(application: string, name: string) {
        const [row] = yield* sql<Partial<Rendered<ConfigurationId>> & { application_id: ApplicationId }>`
          SELECT r.id, r.etag, r.json, a.id AS application_id
          FROM applications a
          LEFT JOIN LATERAL (
            ${Configurations.render(sql, sql`configurations c WHERE c.application_id = a.id AND c.name = ${name}`)}
          ) r ON true
          WHERE a.name = ${application}`
        if (row === undefined) return yield* ApplicationNameNotFound.of(application)
        if (row.id === undefined || row.id === null) return yield* ConfigurationNameNotFound.of(application, name)
        return row as Rendered<ConfigurationId> & { readonly application_id: ApplicationId }
      },
      (effect) => guard()(effect)
    )

    /** The application's current revision; `undefined` when there is no such application. */
    const revision = Effect.fn("Watch/Repo.revision", untracedStack)(
      function*(id: ApplicationId) {
        const [row] = yield* sql<{ revision: number }>`
          SELECT revision::float8 AS revision FROM applications WHERE id = ${id}`
        return row?.revision
      },
      (effect) => guard()(effect)
    )

    /** The application and all its configurations, with the revision they are at, read in one snapshot. */
    const snapshot = Effect.fn("Watch/Repo.snapshot", untracedStack)(
      function*(id: ApplicationId) {
        const rows = yield* sql<RenderedEvent>`
          WITH app AS (${Applications.render(sql, sql`applications a WHERE a.id = ${id}`)}),
          owned AS (${Configurations.render(sql, sql`configurations c WHERE c.application_id = ${id}`)})
          SELECT a.revision::float8 AS revision,
                 '{"revision":' || a.revision || ',"application":' || app.json || ',"configurations":[' ||
                 COALESCE((SELECT string_agg(o.json, ',' ORDER BY o.id) FROM owned o), '') || ']}' AS json
          FROM applications a JOIN app ON app.id = a.id
          WHERE a.id = ${id}`
        return yield* firstRow(() => Effect.fail(ApplicationNotFound.of(id)))(rows)
      },
      (effect) => guard()(effect)
    )

    /** At most `limit` changes after `after` as watch streams send them, in revision order; `undefined` when there is no such application. */
    const events = Effect.fn("Watch/Repo.events", untracedStack)(
      (id: ApplicationId, after: number, limit: number) => changesAfter(sql, eventColumns, id, after, limit),
      (effect) => guard()(effect)
    )

    return { applicationNamed, configurationNamed, revision, snapshot, events } as const
  })
}) {}
