import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import { foreignKeyViolation, mapSqlError, uniqueViolation } from "../Database/SqlErrors.js"
import { Configuration, type ConfigurationCreate, type ConfigurationUpdate } from "../Domain/Configuration.js"
import {
  ApplicationIdImmutable,
  ApplicationNotFound,
  ConfigurationNameTaken,
  ConfigurationNotFound,
  PreconditionFailed,
  UnknownApplication
} from "../Domain/Errors.js"
import { ApplicationId, ConfigurationId, makeConfigurationId } from "../Domain/Ids.js"

const Row = Schema.Struct({
  id: ConfigurationId,
  application_id: Schema.NullOr(ApplicationId),
  name: Schema.String,
  comments: Schema.NullOr(Schema.String),
  config: Schema.String
})

const UpdateRow = Schema.Struct({ ...Row.fields, versions: Schema.NullOr(Schema.String) })

/** The `If-Match` precondition of a write: the versions it accepts, or any (`"any"`, or none given). */
export type Precondition = ReadonlyArray<number> | "any"

const versionList = (precondition: Precondition) => precondition === "any" ? null : precondition.join(",")

export class ConfigurationsRepo extends Effect.Service<ConfigurationsRepo>()("Configurations/Repo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const columns = sql.literal("c.id, c.application_id, c.name, c.comments, c.config, c.created_at, c.updated_at, c.version")

    const insert = SqlSchema.single({
      Request: Row,
      Result: Configuration,
      execute: (row) =>
        sql`INSERT INTO configurations AS c (id, application_id, name, comments, config)
            VALUES (${row.id}, ${row.application_id}, ${row.name}, ${row.comments}, ${row.config}::jsonb)
            RETURNING ${columns}`
    })

    const findById = SqlSchema.findOne({
      Request: ConfigurationId,
      Result: Configuration,
      execute: (id) => sql`SELECT ${columns} FROM configurations c WHERE c.id = ${id}`
    })

    const findByApplication = SqlSchema.findAll({
      Request: ApplicationId,
      Result: Configuration,
      execute: (applicationId) =>
        sql`SELECT ${columns} FROM configurations c WHERE c.application_id = ${applicationId} ORDER BY c.id`
    })

    const applicationExists = (id: ApplicationId) =>
      sql`SELECT 1 FROM applications WHERE id = ${id}`.pipe(Effect.map((rows) => rows.length > 0))

    /**
     * Updates only while `application_id` (when given) and the version (when `If-Match` names
     * versions) match: the checks and the write are one statement, so no update is lost.
     */
    const updateById = SqlSchema.findOne({
      Request: UpdateRow,
      Result: Configuration,
      execute: (row) =>
        sql`UPDATE configurations AS c
            SET name = ${row.name}, comments = ${row.comments}, config = ${row.config}::jsonb,
                version = c.version + 1, updated_at = now()
            WHERE c.id = ${row.id}
              AND (${row.application_id}::text IS NULL OR c.application_id = ${row.application_id})
              AND (${row.versions}::text IS NULL OR c.version = ANY(string_to_array(${row.versions}, ',')::int[]))
            RETURNING ${columns}`
    })

    const create = (input: ConfigurationCreate) =>
      insert({
        id: makeConfigurationId(),
        application_id: input.application_id,
        name: input.name,
        comments: input.comments ?? null,
        config: JSON.stringify(input.config)
      }).pipe(
        Effect.catchTags({
          SqlError: mapSqlError<ConfigurationNameTaken | UnknownApplication>({
            [uniqueViolation]: () => ConfigurationNameTaken.of(input.name),
            [foreignKeyViolation]: () => UnknownApplication.of(input.application_id)
          }),
          ParseError: Effect.die,
          NoSuchElementException: Effect.die
        }),
        Effect.withSpan("Configurations/Repo.create")
      )

    const get = (id: ConfigurationId) =>
      findById(id).pipe(
        Effect.catchTags({ SqlError: mapSqlError(), ParseError: Effect.die }),
        Effect.flatMap(Option.match({ onNone: () => Effect.fail(ConfigurationNotFound.of(id)), onSome: Effect.succeed })),
        Effect.withSpan("Configurations/Repo.get")
      )

    /** The application's configurations ordered by id; `ApplicationNotFound` when there is no such application. */
    const listByApplication = (applicationId: ApplicationId) =>
      findByApplication(applicationId).pipe(
        Effect.flatMap((configurations) =>
          configurations.length > 0
            ? Effect.succeed(configurations)
            : Effect.flatMap(
              applicationExists(applicationId),
              (exists) => exists ? Effect.succeed(configurations) : Effect.fail(ApplicationNotFound.of(applicationId))
            )
        ),
        Effect.catchTags({ SqlError: mapSqlError(), ParseError: Effect.die }),
        Effect.withSpan("Configurations/Repo.listByApplication")
      )

    /** Why an update or delete matched no row: no such configuration, another application, or a stale `If-Match`. */
    const explainMiss = (id: ConfigurationId, applicationId: ApplicationId | undefined) =>
      findById(id).pipe(
        Effect.flatMap((found) =>
          Effect.fail(
            Option.isNone(found)
              ? ConfigurationNotFound.of(id)
              : applicationId !== undefined && found.value.application_id !== applicationId
              ? ApplicationIdImmutable.of(id)
              : PreconditionFailed.instance
          )
        )
      )

    const update = (id: ConfigurationId, input: ConfigurationUpdate, precondition: Precondition = "any") =>
      updateById({
        id,
        application_id: input.application_id ?? null,
        name: input.name,
        comments: input.comments ?? null,
        config: JSON.stringify(input.config),
        versions: versionList(precondition)
      }).pipe(
        Effect.flatMap(Option.match({
          onSome: Effect.succeed,
          onNone: () => explainMiss(id, input.application_id)
        })),
        Effect.catchTags({
          SqlError: mapSqlError({
            [uniqueViolation]: () => ConfigurationNameTaken.of(input.name)
          }),
          ParseError: Effect.die
        }),
        Effect.withSpan("Configurations/Repo.update")
      )

    const remove = (id: ConfigurationId, precondition: Precondition = "any") =>
      sql`DELETE FROM configurations
          WHERE id = ${id}
            AND (${versionList(precondition)}::text IS NULL
                 OR version = ANY(string_to_array(${versionList(precondition)}, ',')::int[]))
          RETURNING id`.pipe(
        Effect.flatMap((rows) => rows.length === 0 ? explainMiss(id, undefined) : Effect.void),
        Effect.catchTags({ SqlError: mapSqlError(), ParseError: Effect.die }),
        Effect.withSpan("Configurations/Repo.remove")
      )

    return { create, get, listByApplication, update, remove } as const
  })
}) {}
