import type { SqlClient } from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import { schemaKey } from "../ChangeFeed/ChangeKeys.js"
import { isoTimestamp, quoted, type Rendered, selectList, typedAs } from "../Postgres/SqlJson.js"
import type { ApplicationId } from "../Domain/Ids.js"
import { ApplicationSchema } from "../JsonSchema/ApplicationSchema.js"

/**
 * An application's schema as the API shows it — its JSON, its entity tag and its read-cache key —
 * in one place. Its tag is its version (`"4"`), which runs on across a delete: no two schemas an
 * application ever had share a tag.
 */
export type RenderedSchema = Rendered<ApplicationId>

/** The read-cache key: the change feed's key for the application's schema. */
export const cacheKey = schemaKey

/** SQL: the entity tag, unquoted, of a schema whose version is `version`. */
const tagFrom = (version: string) => `${version}::text`

/** SQL: the entity tag of schema `s`, unquoted. */
export const tagOf = tagFrom("s.version")

/** SQL: the fields of schema `s`'s JSON. */
const fields = selectList(ApplicationSchema, {
  application_id: "s.application_id",
  schema: "s.schema",
  version: "s.version",
  created_at: isoTimestamp("s.created_at"),
  updated_at: isoTimestamp("s.updated_at"),
  actor: "s.actor"
})

const etag = quoted(tagFrom("t.version"))

/** The schemas in `rows` (aliased `s`) as the API's JSON, with their entity tags. */
export const render = (sql: SqlClient, rows: Fragment) =>
  sql<RenderedSchema>`
    SELECT t.application_id AS id, ${sql.literal(etag)} AS etag, row_to_json(t)::text AS json
    FROM (SELECT ${sql.literal(fields)} FROM ${rows}) t`

/** Rendered schemas decoded into `ApplicationSchema` values, for typed callers. */
export const typed = typedAs(ApplicationSchema)

/**
 * An application's schema as configuration writes check against it: its `schema_version` (the
 * count of its schema writes, which a write must still find) and its rendered schema, if any.
 */
export interface CurrentSchema {
  readonly schema_version: number
  readonly schema: RenderedSchema | undefined
}

/** Application `id`'s current schema, one row, or none when there is no such application. */
export const current = (sql: SqlClient, id: ApplicationId) =>
  sql<{ schema_version: number; id: ApplicationId | null; etag: string | null; json: string | null }>`
    SELECT a.schema_version, r.id, r.etag, r.json
    FROM applications a
    LEFT JOIN LATERAL (${render(sql, sql`application_schemas s WHERE s.application_id = a.id`)}) r ON true
    WHERE a.id = ${id}`
