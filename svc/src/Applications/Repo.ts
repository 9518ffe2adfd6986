import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import { foreignKeyViolation, mapSqlError, uniqueViolation } from "../Database/SqlErrors.js"
import { Application, type ApplicationInput } from "../Domain/Application.js"
import {
  ApplicationHasConfigurations,
  ApplicationNameTaken,
  ApplicationNotFound,
  PreconditionFailed
} from "../Domain/Errors.js"
import { ApplicationId, makeApplicationId } from "../Domain/Ids.js"

/** The `If-Match` precondition of a write: the `version-digest` tags it accepts, or any. */
export type Precondition = ReadonlyArray<{ readonly version: number; readonly digest: string }> | "any"

const tagList = (precondition: Precondition) =>
  precondition === "any" ? null : precondition.map((tag) => `${tag.version}-${tag.digest}`).join(",")

export interface Page {
  readonly limit?: number | undefined
  readonly after?: ApplicationId | undefined
}

export class ApplicationsRepo extends Effect.Service<ApplicationsRepo>()("Applications/Repo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const configurationIds = sql.literal(
      "array(SELECT c.id FROM configurations c WHERE c.application_id = a.id ORDER BY c.id) AS configuration_ids"
    )
    const columns = sql.literal("a.id, a.name, a.comments, a.created_at, a.updated_at, a.version")
    /** The application's entity tag as `ETag.applicationETag` computes it, in SQL (unquoted). */
    const currentTag = sql.literal(
      "a.version::text || '-' || left(md5(array_to_string(array(SELECT c.id FROM configurations c WHERE c.application_id = a.id ORDER BY c.id), ',')), 12)"
    )
    const matches = (tags: string | null) =>
      sql`(${tags}::text IS NULL OR ${currentTag} = ANY(string_to_array(${tags}, ',')))`

    const insert = SqlSchema.single({
      Request: Schema.Struct({ id: ApplicationId, name: Schema.String, comments: Schema.NullOr(Schema.String) }),
      Result: Application,
      execute: ({ comments, id, name }) =>
        sql`INSERT INTO applications AS a (id, name, comments) VALUES (${id}, ${name}, ${comments})
            RETURNING ${columns}, '{}'::text[] AS configuration_ids`
    })

    const findById = SqlSchema.findOne({
      Request: ApplicationId,
      Result: Application,
      execute: (id) => sql`SELECT ${columns}, ${configurationIds} FROM applications a WHERE a.id = ${id}`
    })

    const findPage = SqlSchema.findAll({
      Request: Schema.Struct({ limit: Schema.NullOr(Schema.Number), after: Schema.NullOr(Schema.String) }),
      Result: Application,
      execute: ({ after, limit }) =>
        sql`SELECT ${columns}, ${configurationIds} FROM applications a
            WHERE ${after === null ? sql`true` : sql`a.id > ${after}`}
            ORDER BY a.id ${limit === null ? sql`` : sql`LIMIT ${limit}`}`
    })

    /** Updates only while the `If-Match` tags (when given) match: check and write are one statement. */
    const updateById = SqlSchema.findOne({
      Request: Schema.Struct({
        id: ApplicationId,
        name: Schema.String,
        comments: Schema.NullOr(Schema.String),
        tags: Schema.NullOr(Schema.String)
      }),
      Result: Application,
      execute: ({ comments, id, name, tags }) =>
        sql`UPDATE applications AS a
            SET name = ${name}, comments = ${comments}, version = a.version + 1, updated_at = now()
            WHERE a.id = ${id} AND ${matches(tags)}
            RETURNING ${columns}, ${configurationIds}`
    })

    /** Why a write matched no row: no such application, or a stale `If-Match`. */
    const explainMiss = (id: ApplicationId) =>
      Effect.flatMap(
        sql`SELECT 1 FROM applications WHERE id = ${id}`,
        (rows) => Effect.fail(rows.length === 0 ? ApplicationNotFound.of(id) : PreconditionFailed.instance)
      )

    const create = (input: ApplicationInput) =>
      insert({ id: makeApplicationId(), name: input.name, comments: input.comments ?? null }).pipe(
        Effect.catchTags({
          SqlError: mapSqlError({ [uniqueViolation]: () => ApplicationNameTaken.of(input.name) }),
          ParseError: Effect.die,
          NoSuchElementException: Effect.die
        }),
        Effect.withSpan("Applications/Repo.create")
      )

    const get = (id: ApplicationId) =>
      findById(id).pipe(
        Effect.catchTags({ SqlError: mapSqlError(), ParseError: Effect.die }),
        Effect.flatMap(Option.match({ onNone: () => Effect.fail(ApplicationNotFound.of(id)), onSome: Effect.succeed })),
        Effect.withSpan("Applications/Repo.get")
      )

    /** Applications ordered by id; with `limit`, one page after `after`. */
    const list = (page: Page = {}) =>
      findPage({ limit: page.limit ?? null, after: page.after ?? null }).pipe(
        Effect.catchTags({ SqlError: mapSqlError(), ParseError: Effect.die }),
        Effect.withSpan("Applications/Repo.list")
      )

    const update = (id: ApplicationId, input: ApplicationInput, precondition: Precondition = "any") =>
      updateById({ id, name: input.name, comments: input.comments ?? null, tags: tagList(precondition) }).pipe(
        Effect.flatMap(Option.match({ onNone: () => explainMiss(id), onSome: Effect.succeed })),
        Effect.catchTags({
          SqlError: mapSqlError({ [uniqueViolation]: () => ApplicationNameTaken.of(input.name) }),
          ParseError: Effect.die
        }),
        Effect.withSpan("Applications/Repo.update")
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
          Effect.flatMap((rows) => rows.length === 0 ? explainMiss(id) : Effect.void),
          Effect.catchTag(
            "SqlError",
            mapSqlError({ [foreignKeyViolation]: () => ApplicationHasConfigurations.of(id) })
          ),
          Effect.withSpan("Applications/Repo.remove")
        )
    }

    return { create, get, list, update, remove } as const
  })
}) {}
