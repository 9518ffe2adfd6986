import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import { foreignKeyViolation, mapSqlError, uniqueViolation } from "../Database/SqlErrors.js"
import { Application, type ApplicationInput } from "../Domain/Application.js"
import { ApplicationHasConfigurations, ApplicationNameTaken, ApplicationNotFound } from "../Domain/Errors.js"
import { ApplicationId, makeApplicationId } from "../Domain/Ids.js"

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

    const updateById = SqlSchema.findOne({
      Request: Schema.Struct({ id: ApplicationId, name: Schema.String, comments: Schema.NullOr(Schema.String) }),
      Result: Application,
      execute: ({ comments, id, name }) =>
        sql`UPDATE applications AS a
            SET name = ${name}, comments = ${comments}, version = a.version + 1, updated_at = now()
            WHERE a.id = ${id}
            RETURNING ${columns}, ${configurationIds}`
    })

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

    const update = (id: ApplicationId, input: ApplicationInput) =>
      updateById({ id, name: input.name, comments: input.comments ?? null }).pipe(
        Effect.catchTags({
          SqlError: mapSqlError({ [uniqueViolation]: () => ApplicationNameTaken.of(input.name) }),
          ParseError: Effect.die
        }),
        Effect.flatMap(Option.match({ onNone: () => Effect.fail(ApplicationNotFound.of(id)), onSome: Effect.succeed })),
        Effect.withSpan("Applications/Repo.update")
      )

    /**
     * Deletes the application. While it has configurations this fails with
     * `ApplicationHasConfigurations`, unless `cascade` deletes them in the same statement.
     */
    const remove = (id: ApplicationId, options: { readonly cascade: boolean }) =>
      (options.cascade
        ? sql<{ id: string }>`WITH configurations_gone AS (DELETE FROM configurations WHERE application_id = ${id})
                              DELETE FROM applications WHERE id = ${id} RETURNING id`
        : sql<{ id: string }>`DELETE FROM applications WHERE id = ${id} RETURNING id`).pipe(
          Effect.catchTag(
            "SqlError",
            mapSqlError({ [foreignKeyViolation]: () => ApplicationHasConfigurations.of(id) })
          ),
          Effect.flatMap((rows) => rows.length === 0 ? Effect.fail(ApplicationNotFound.of(id)) : Effect.void),
          Effect.withSpan("Applications/Repo.remove")
        )

    return { create, get, list, update, remove } as const
  })
}) {}
