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
import { Configuration, type ConfigurationCreate, type ConfigurationUpdate } from "../Domain/Configuration.js"
import {
  ApplicationIdImmutable,
  ApplicationNotFound,
  ConfigurationNameTaken,
  ConfigurationNotFound,
  PreconditionFailed,
  UnknownApplication
} from "../Domain/Errors.js"
import { type ApplicationId, type ConfigurationId, makeConfigurationId } from "../Domain/Ids.js"

/** The `If-Match` precondition of a write: the versions it accepts, or any (`"any"`, or none given). */
export type Precondition = ReadonlyArray<number> | "any"

const versionList = (precondition: Precondition) => precondition === "any" ? null : precondition.join(",")

export type RenderedConfiguration = Rendered<ConfigurationId>

const typed = typedAs(Configuration)

export class ConfigurationsRepo extends Effect.Service<ConfigurationsRepo>()("Configurations/Repo", {
  dependencies: [ReadCache.Default],
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const cache = yield* ReadCache
    const deadline = withDeadline(yield* DatabaseDeadline)

    /** The configurations in `rows` (aliased `c`) as the API's JSON, with their versions. */
    const render = (rows: Fragment) =>
      sql<RenderedConfiguration>`
        SELECT t.id, t.version, row_to_json(t)::text AS json
        FROM (SELECT c.id, c.application_id, c.name, c.comments, c.config,
                     ${sql.literal(isoTimestamp("c.created_at"))} AS created_at,
                     ${sql.literal(isoTimestamp("c.updated_at"))} AS updated_at,
                     c.version
              FROM ${rows}) t`

    const versionMatches = (versions: string | null) =>
      sql`(${versions}::text IS NULL OR c.version = ANY(string_to_array(${versions}, ',')::int[]))`

    const first = <E, R>(onNone: () => Effect.Effect<never, E, R>) => (rows: ReadonlyArray<RenderedConfiguration>) =>
      rows.length > 0 ? Effect.succeed(rows[0]!) : onNone()

    const owner = (id: ConfigurationId) =>
      sql<{ application_id: ApplicationId }>`SELECT application_id FROM configurations WHERE id = ${id}`

    /** Why an update matched no row: no such configuration, another application, or a stale `If-Match`. */
    const explainMissedUpdate = (id: ConfigurationId, applicationId: ApplicationId | undefined) =>
      Effect.flatMap(owner(id), (rows) =>
        Effect.fail(
          rows.length === 0
            ? ConfigurationNotFound.of(id)
            : applicationId !== undefined && rows[0]!.application_id !== applicationId
            ? ApplicationIdImmutable.of(id)
            : PreconditionFailed.instance
        ))

    /** Why a delete matched no row: no such configuration, or a stale `If-Match`. */
    const explainMissedDelete = (id: ConfigurationId) =>
      Effect.flatMap(
        owner(id),
        (rows) => Effect.fail(rows.length === 0 ? ConfigurationNotFound.of(id) : PreconditionFailed.instance)
      )

    const create = (input: ConfigurationCreate) =>
      sql<RenderedConfiguration>`
        WITH inserted AS (
          INSERT INTO configurations (id, application_id, name, comments, config)
          VALUES (${makeConfigurationId()}, ${input.application_id}, ${input.name}, ${input.comments ?? null},
                  ${JSON.stringify(input.config)}::jsonb)
          RETURNING *)
        ${render(sql`inserted c`)}`.pipe(
        Effect.map((rows) => rows[0]!),
        Effect.tap((created) => cache.changed(`c:${created.id}`, `a:${input.application_id}`)),
        Effect.catchTag(
          "SqlError",
          mapSqlError<ConfigurationNameTaken | UnknownApplication>({
            [uniqueViolation]: () => ConfigurationNameTaken.of(input.name),
            [foreignKeyViolation]: () => UnknownApplication.of(input.application_id)
          })
        ),
        deadline,
        repositorySpan("Configurations/Repo.create")
      )

    const get = (id: ConfigurationId) =>
      cache.through(
        `c:${id}`,
        render(sql`configurations c WHERE c.id = ${id}`).pipe(
          Effect.flatMap(first(() => Effect.fail(ConfigurationNotFound.of(id)))),
          Effect.catchTag("SqlError", mapSqlError()),
          deadline
        )
      )

    /** The application's configurations ordered by id; `ApplicationNotFound` when there is no such application. */
    const listByApplication = (applicationId: ApplicationId) =>
      render(sql`configurations c WHERE c.application_id = ${applicationId} ORDER BY c.id`).pipe(
        Effect.flatMap((configurations) =>
          configurations.length > 0
            ? Effect.succeed(configurations)
            : Effect.flatMap(
              sql`SELECT 1 FROM applications WHERE id = ${applicationId}`,
              (rows) => rows.length > 0 ? Effect.succeed(configurations) : Effect.fail(ApplicationNotFound.of(applicationId))
            )
        ),
        Effect.catchTag("SqlError", mapSqlError()),
        deadline,
        repositorySpan("Configurations/Repo.listByApplication")
      )

    /**
     * Replaces name, comments and config while `application_id` (when given) and the version
     * (when `If-Match` names versions) match: the checks and the write are one statement.
     */
    const update = (id: ConfigurationId, input: ConfigurationUpdate, precondition: Precondition = "any") =>
      sql<RenderedConfiguration>`
        WITH updated AS (
          UPDATE configurations AS c
          SET name = ${input.name}, comments = ${input.comments ?? null}, config = ${JSON.stringify(input.config)}::jsonb,
              version = c.version + 1, updated_at = now()
          WHERE c.id = ${id}
            AND (${input.application_id ?? null}::text IS NULL OR c.application_id = ${input.application_id ?? null})
            AND ${versionMatches(versionList(precondition))}
          RETURNING c.*)
        ${render(sql`updated c`)}`.pipe(
        Effect.flatMap(first(() => explainMissedUpdate(id, input.application_id))),
        Effect.tap(() => cache.changed(`c:${id}`)),
        Effect.catchTag("SqlError", mapSqlError({ [uniqueViolation]: () => ConfigurationNameTaken.of(input.name) })),
        deadline,
        repositorySpan("Configurations/Repo.update")
      )

    const remove = (id: ConfigurationId, precondition: Precondition = "any") =>
      sql<{ application_id: ApplicationId }>`DELETE FROM configurations AS c
          WHERE c.id = ${id} AND ${versionMatches(versionList(precondition))}
          RETURNING c.application_id`.pipe(
        Effect.flatMap((rows) =>
          rows.length === 0 ? explainMissedDelete(id) : cache.changed(`c:${id}`, `a:${rows[0]!.application_id}`)
        ),
        Effect.catchTag("SqlError", mapSqlError()),
        deadline,
        repositorySpan("Configurations/Repo.remove")
      )

    return {
      /** Reads and writes that yield the API's JSON as PostgreSQL rendered it (what the handlers send). */
      rendered: { create, get, listByApplication, update },
      /** The same operations, decoded into `Configuration` values for typed callers. */
      create: (input: ConfigurationCreate) => typed.one(create(input)),
      get: (id: ConfigurationId) => typed.one(get(id)),
      listByApplication: (applicationId: ApplicationId) => typed.all(listByApplication(applicationId)),
      update: (id: ConfigurationId, input: ConfigurationUpdate, precondition: Precondition = "any") =>
        typed.one(update(id, input, precondition)),
      remove
    } as const
  })
}) {}
