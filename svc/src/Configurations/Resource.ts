import type { SqlClient } from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import { configurationKey } from "../ChangeFeed/ChangeKeys.js"
import { isoTimestamp, quoted, type Rendered, selectList, typedAs } from "../Postgres/SqlJson.js"
import { Configuration } from "../Domain/Configuration.js"
import type { ConfigurationId } from "../Domain/Ids.js"

/**
 * A configuration as the API shows it — its JSON, its entity tag and its read-cache key — in
 * one place. Its tag is its version: `"3"`.
 */
export type RenderedConfiguration = Rendered<ConfigurationId>

/** The read-cache key: the change feed's key for the configuration. */
export const cacheKey = configurationKey

/** SQL: the entity tag, unquoted, of a configuration whose version is `version` (also of a deleted one, by its last version). */
export const tagFrom = (version: string) => `${version}::text`

/** SQL: the entity tag of configuration `c`, unquoted. */
export const tagOf = tagFrom("c.version")

/**
 * SQL: the fields of a configuration's JSON from row `r` with a configuration's columns (a
 * configuration, or a version of one) and the given id and timestamps.
 */
export const fieldsOf = (r: string, id: string, createdAt: string, updatedAt: string) =>
  selectList(Configuration, {
    id,
    application_id: `${r}.application_id`,
    name: `${r}.name`,
    comments: `${r}.comments`,
    config: `${r}.config`,
    created_at: isoTimestamp(createdAt),
    updated_at: isoTimestamp(updatedAt),
    version: `${r}.version`
  })

const fields = fieldsOf("c", "c.id", "c.created_at", "c.updated_at")

const etag = quoted(tagFrom("t.version"))

/** The configurations in `rows` (aliased `c`) as the API's JSON, with their entity tags. */
export const render = (sql: SqlClient, rows: Fragment) =>
  sql<RenderedConfiguration>`
    SELECT t.id, ${sql.literal(etag)} AS etag, row_to_json(t)::text AS json
    FROM (SELECT ${sql.literal(fields)} FROM ${rows}) t`

/** Rendered configurations decoded into `Configuration` values, for typed callers. */
export const typed = typedAs(Configuration)

/** The configuration `id` rendered, or no row: what the repository's `get` and the fast path's read of a miss both run. */
export const readById = (sql: SqlClient, id: ConfigurationId) => render(sql, sql`configurations c WHERE c.id = ${id}`)
