import type { SqlClient } from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import { configurationKey } from "../Database/ChangeKeys.js"
import { isoTimestamp, type Rendered, typedAs } from "../Database/Rendered.js"
import { Configuration } from "../Domain/Configuration.js"
import type { ConfigurationId } from "../Domain/Ids.js"

/**
 * A configuration as the API shows it — its JSON, its entity tag and its read-cache key — in
 * one place. Its tag is its version: `"3"`.
 */
export type RenderedConfiguration = Rendered<ConfigurationId>

/** The read-cache key: the change feed's key for the configuration. */
export const cacheKey = configurationKey

export const url = (id: string) => `/api/v1/configurations/${id}`

/** SQL: the entity tag of configuration `c`, unquoted. */
export const tagOf = "c.version::text"

/** The configurations in `rows` (aliased `c`) as the API's JSON, with their entity tags. */
export const render = (sql: SqlClient, rows: Fragment) =>
  sql<RenderedConfiguration>`
    SELECT t.id, '"' || t.version || '"' AS etag, row_to_json(t)::text AS json
    FROM (SELECT c.id, c.application_id, c.name, c.comments, c.config,
                 ${sql.literal(isoTimestamp("c.created_at"))} AS created_at,
                 ${sql.literal(isoTimestamp("c.updated_at"))} AS updated_at,
                 c.version
          FROM ${rows}) t`

/** Rendered configurations decoded into `Configuration` values, for typed callers. */
export const typed = typedAs(Configuration)
