import type { SqlClient } from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import { applicationKey, applicationPrefix } from "../ChangeFeed/ChangeKeys.js"
import { isoTimestamp, quoted, type Rendered, selectList, typedAs } from "../Postgres/SqlJson.js"
import { Application } from "../Domain/Application.js"
import type { ApplicationId } from "../Domain/Ids.js"

/**
 * An application as the API shows it — its JSON, its entity tag and its read-cache keys — in
 * one place. Its representation lists its configuration ids, so its tag is its version and a
 * digest of those ids (`"2-1a2b3c4d5e6f"`): adding or removing a configuration changes the
 * tag though not the version.
 */
export type RenderedApplication = Rendered<ApplicationId>

/** The read-cache key: the change feed's key for the application. */
export const cacheKey = applicationKey

/** Read-cache keys of application lists; any change to an application drops them all. */
export const listKey = (page: { readonly after?: string | undefined; readonly limit?: number | undefined }) =>
  `list:${page.after ?? ""}:${page.limit ?? ""}`
export const listsDropOn = applicationPrefix

/** SQL: the ids of application `a`'s configurations, in order. */
export const configurationIdsOf = "array(SELECT c.id FROM configurations c WHERE c.application_id = a.id ORDER BY c.id)"

const digestOf = (ids: string) => `left(md5(array_to_string(${ids}, ',')), 12)`

/** SQL: the entity tag, unquoted, of an application with this version and these configuration ids. */
const tagFrom = (version: string, ids: string) => `${version}::text || '-' || ${digestOf(ids)}`

/** SQL: the entity tag of application `a`, unquoted. */
export const tagOf = tagFrom("a.version", configurationIdsOf)

/** SQL: the fields of application `a`'s JSON. */
const fields = selectList(Application, {
  id: "a.id",
  name: "a.name",
  comments: "a.comments",
  configuration_ids: configurationIdsOf,
  created_at: isoTimestamp("a.created_at"),
  updated_at: isoTimestamp("a.updated_at"),
  version: "a.version"
})

const etag = quoted(tagFrom("t.version", "t.configuration_ids"))

/** The applications in `rows` (aliased `a`) as the API's JSON, with their entity tags. */
export const render = (sql: SqlClient, rows: Fragment) =>
  sql<RenderedApplication>`
    SELECT t.id, ${sql.literal(etag)} AS etag, row_to_json(t)::text AS json
    FROM (SELECT ${sql.literal(fields)} FROM ${rows}) t`

/** Rendered applications decoded into `Application` values, for typed callers. */
export const typed = typedAs(Application)

/** The application `id` rendered, or no row: what the repository's `get` and the fast path's read of a miss both run. */
export const readById = (sql: SqlClient, id: ApplicationId) => render(sql, sql`applications a WHERE a.id = ${id}`)
