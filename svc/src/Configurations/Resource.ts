import type { SqlClient } from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import { isoTimestamp, quoted, type Rendered, typedAs } from "../Database/Rendered.js"
import { Configuration } from "../Domain/Configuration.js"
import type { ConfigurationId } from "../Domain/Ids.js"

/**
 * A configuration as the API shows it — its JSON, its entity tag and its read-cache key — in
 * one place. Its tag is its version: `"3"`.
 */
export type RenderedConfiguration = Rendered<ConfigurationId>

/** The read-cache key; migration 0003's trigger announces changes with the same `c:<id>`. */
export const cacheKey = (id: ConfigurationId) => `c:${id}`

export const url = (id: string) => `/api/v1/configurations/${id}`

/** SQL: the entity tag, unquoted, of a configuration whose version is `version` (also of a deleted one, by its last version). */
export const tagFrom = (version: string) => `${version}::text`

/** SQL: the entity tag of configuration `c`, unquoted. */
export const tagOf = tagFrom("c.version")

/** The configurations in `rows` (aliased `c`) as the API's JSON, with their entity tags. */
export const render = (sql: SqlClient, rows: Fragment) =>
  sql<RenderedConfiguration>`
    SELECT t.id, ${sql.literal(quoted(tagFrom("t.version")))} AS etag, row_to_json(t)::text AS json
    FROM (SELECT c.id, c.application_id, c.name, c.comments, c.config,
                 ${sql.literal(isoTimestamp("c.created_at"))} AS created_at,
                 ${sql.literal(isoTimestamp("c.updated_at"))} AS updated_at,
                 c.version
          FROM ${rows}) t`

/** Rendered configurations decoded into `Configuration` values, for typed callers. */
export const typed = typedAs(Configuration)
