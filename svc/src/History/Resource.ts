import type { SqlClient } from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import { isoTimestamp, typedAs } from "../Database/Rendered.js"
import { Change, Changes, Version } from "../Domain/Version.js"

/**
 * Versions and changes as the API shows them, rendered by PostgreSQL. Versions are immutable,
 * so they need no entity tag; each rendered row keeps its number beside its JSON.
 */
export interface RenderedVersion {
  readonly version: number
  readonly json: string
}

export interface RenderedChange {
  readonly revision: number
  readonly json: string
}

/** An application's current revision and the changes after the one asked for, in revision order. */
export interface RenderedChanges {
  readonly revision: number
  readonly changes: ReadonlyArray<RenderedChange>
}

/** The versions in `rows` (aliased `v`) as the API's JSON. */
export const renderVersions = (sql: SqlClient, rows: Fragment) =>
  sql<RenderedVersion>`
    SELECT t.version, row_to_json(t)::text AS json
    FROM (SELECT v.configuration_id, v.application_id, v.version, v.revision, v.op, v.name, v.comments, v.config,
                 v.actor, ${sql.literal(isoTimestamp("v.created_at"))} AS created_at
          FROM ${rows}) t`

/** SQL: the change that version `v` records, as the API's JSON. */
const changeOf = `(SELECT row_to_json(c)::text FROM (SELECT v.revision, v.configuration_id, v.name, v.version, v.op,
  v.actor, ${isoTimestamp("v.created_at")} AS created_at) c)`

/** SQL, over versions `v`: the columns of a `RenderedChange` (revisions fit a JavaScript number exactly). */
export const changeColumns = `v.revision::float8 AS revision, ${changeOf} AS json`

/** The body of `GET /applications/{id}/changes`. */
export const changesJson = (page: RenderedChanges) =>
  `{"revision":${page.revision},"changes":[${page.changes.map((change) => change.json).join(",")}]}`

/** Rendered versions and changes decoded into domain values, for typed callers. */
export const typedVersion = typedAs(Version)
export const typedChange = typedAs(Change)
export const typedChanges = typedAs(Changes)
