import * as SqlClient from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import * as Effect from "effect/Effect"
import { ReadCache } from "../Database/ReadCache.js"
import { isoTimestamp, type Rendered, typedAs } from "../Database/Rendered.js"
import {
  DatabaseDeadline,
  foreignKeyViolation,
  mapSqlError,
  repositorySpan,
  uniqueViolation,
  withDeadline
} from "../Database/SqlErrors.js"
import { Application, type ApplicationInput } from "../Domain/Application.js"
import {
  ApplicationHasConfigurations,
  ApplicationNameTaken,
  ApplicationNotFound,
  PreconditionFailed
} from "../Domain/Errors.js"
import { type ApplicationId, makeApplicationId } from "../Domain/Ids.js"

/** The `If-Match` precondition of a write: the `version-digest` tags it accepts, or any. */
export type Precondition = ReadonlyArray<{ readonly version: number; readonly digest: string }> | "any"

const tagList = (precondition: Precondition) =>
  precondition === "any" ? null : precondition.map((tag) => `${tag.version}-${tag.digest}`).join(",")

export interface Page {
  readonly limit?: number | undefined
  readonly after?: ApplicationId | undefined
}

export type RenderedApplication = Rendered<ApplicationId>

const typed = typedAs(Application)

/** The ids of application `a`'s configurations, in order. */
const configurationIdsOf = "array(SELECT c.id FROM configurations c WHERE c.application_id = a.id ORDER BY c.id)"

/** The digest of a list of configuration ids that an application's ETag carries. */
const digestOf = (ids: string) => `left(md5(array_to_string(${ids}, ',')), 12)`

export class ApplicationsRepo extends Effect.Service<ApplicationsRepo>()("Applications/Repo", {
  dependencies: [ReadCache.Default],
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const cache = yield* ReadCache
    const deadline = withDeadline(yield* DatabaseDeadline)

    /** The applications in `rows` (aliased `a`) as the API's JSON, with their ETag parts. */
    const render = (rows: Fragment) =>
      sql<RenderedApplication>`
        SELECT t.id, t.version, ${sql.literal(digestOf("t.configuration_ids"))} AS digest, row_to_json(t)::text AS json
        FROM (SELECT a.id, a.name, a.comments, ${sql.literal(configurationIdsOf)} AS configuration_ids,
                     ${sql.literal(isoTimestamp("a.created_at"))} AS created_at,
                     ${sql.literal(isoTimestamp("a.updated_at"))} AS updated_at,
                     a.version
              FROM ${rows}) t`

    /** The application's current entity tag, unquoted, as `ETag.applicationETag` forms it. */
    const currentTag = sql.literal(`a.version::text || '-' || ${digestOf(configurationIdsOf)}`)
    const matches = (tags: string | null) =>
      sql`(${tags}::text IS NULL OR ${currentTag} = ANY(string_to_array(${tags}, ',')))`

    /** Why a write matched no row: no such application, or a stale `If-Match`. */
    const explainMiss = (id: ApplicationId) =>
      Effect.flatMap(
        sql`SELECT 1 FROM applications WHERE id = ${id}`,
        (rows) => Effect.fail(rows.length === 0 ? ApplicationNotFound.of(id) : PreconditionFailed.instance)
      )

    const one = <E, R>(onNone: () => Effect.Effect<never, E, R>) => (rows: ReadonlyArray<RenderedApplication>) =>
      rows.length > 0 ? Effect.succeed(rows[0]!) : onNone()

    const create = (input: ApplicationInput) =>
      sql<RenderedApplication>`
        WITH inserted AS (
          INSERT INTO applications (id, name, comments) VALUES (${makeApplicationId()}, ${input.name}, ${input.comments ?? null})
          RETURNING *)
        ${render(sql`inserted a`)}`.pipe(
        Effect.map((rows) => rows[0]!),
        Effect.tap((created) => cache.changed(`a:${created.id}`)),
        Effect.catchTag("SqlError", mapSqlError({ [uniqueViolation]: () => ApplicationNameTaken.of(input.name) })),
        deadline,
        repositorySpan("Applications/Repo.create")
      )

    const get = (id: ApplicationId) =>
      cache.through(
        `a:${id}`,
        render(sql`applications a WHERE a.id = ${id}`).pipe(
          Effect.flatMap(one(() => Effect.fail(ApplicationNotFound.of(id)))),
          Effect.catchTag("SqlError", mapSqlError()),
          deadline
        )
      )

    /** Applications ordered by id; with `limit`, one page after `after`. */
    const list = (page: Page = {}) =>
      cache.through(
        `list:${page.after ?? ""}:${page.limit ?? ""}`,
        render(sql`applications a
                   WHERE ${page.after === undefined ? sql`true` : sql`a.id > ${page.after}`}
                   ORDER BY a.id ${page.limit === undefined ? sql`` : sql`LIMIT ${page.limit}`}`).pipe(
          Effect.catchTag("SqlError", mapSqlError()),
          deadline
        )
      )

    /** Replaces name and comments while the `If-Match` tags (when given) match: check and write are one statement. */
    const update = (id: ApplicationId, input: ApplicationInput, precondition: Precondition = "any") =>
      sql<RenderedApplication>`
        WITH updated AS (
          UPDATE applications AS a
          SET name = ${input.name}, comments = ${input.comments ?? null}, version = a.version + 1, updated_at = now()
          WHERE a.id = ${id} AND ${matches(tagList(precondition))}
          RETURNING a.*)
        ${render(sql`updated a`)}`.pipe(
        Effect.flatMap(one(() => explainMiss(id))),
        Effect.tap(() => cache.changed(`a:${id}`)),
        Effect.catchTag("SqlError", mapSqlError({ [uniqueViolation]: () => ApplicationNameTaken.of(input.name) })),
        deadline,
        repositorySpan("Applications/Repo.update")
      )

    /**
     * Deletes the application. While it has configurations this fails with
     * `ApplicationHasConfigurations`, unless `cascade` deletes them in the same statement.
     */
    const remove = (
      id: ApplicationId,
      options: { readonly cascade: boolean; readonly precondition?: Precondition | undefined }
    ) => {
      const tags = tagList(options.precondition ?? "any")
      return (options.cascade
        ? sql`WITH target AS (SELECT a.id FROM applications a WHERE a.id = ${id} AND ${matches(tags)} FOR UPDATE),
                   configurations_gone AS (DELETE FROM configurations WHERE application_id IN (SELECT id FROM target))
              DELETE FROM applications WHERE id IN (SELECT id FROM target) RETURNING id`
        : sql`DELETE FROM applications AS a WHERE a.id = ${id} AND ${matches(tags)} RETURNING a.id`).pipe(
          Effect.flatMap((rows) =>
            rows.length === 0 ? explainMiss(id) : cache.changed(options.cascade ? "*" : `a:${id}`)
          ),
          Effect.catchTag(
            "SqlError",
            mapSqlError({ [foreignKeyViolation]: () => ApplicationHasConfigurations.of(id) })
          ),
          deadline,
          repositorySpan("Applications/Repo.remove")
        )
    }

    return {
      /** Reads and writes that yield the API's JSON as PostgreSQL rendered it (what the handlers send). */
      rendered: { create, get, list, update },
      /** The same operations, decoded into `Application` values for typed callers. */
      create: (input: ApplicationInput) => typed.one(create(input)),
      get: (id: ApplicationId) => typed.one(get(id)),
      list: (page: Page = {}) => typed.all(list(page)),
      update: (id: ApplicationId, input: ApplicationInput, precondition: Precondition = "any") =>
        typed.one(update(id, input, precondition)),
      remove
    } as const
  })
}) {}
