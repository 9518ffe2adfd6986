import type { SqlClient } from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import * as Effect from "effect/Effect"
import { isoTimestamp, selectList, typedAs } from "../Postgres/SqlJson.js"
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

/** SQL: the fields of version `v`'s JSON. */
const versionFields = selectList(Version, {
  configuration_id: "v.configuration_id",
  application_id: "v.application_id",
  version: "v.version",
  revision: "v.revision",
  op: "v.op",
  name: "v.name",
  comments: "v.comments",
  config: "v.config",
  actor: "v.actor",
  created_at: isoTimestamp("v.created_at")
})

/** The versions in `rows` (aliased `v`) as the API's JSON. */
export const renderVersions = (sql: SqlClient, rows: Fragment) =>
  sql<RenderedVersion>`
    SELECT t.version, row_to_json(t)::text AS json
    FROM (SELECT ${sql.literal(versionFields)} FROM ${rows}) t`

/** SQL: the fields of the change that version `v` records. */
const changeFields = selectList(Change, {
  revision: "v.revision",
  configuration_id: "v.configuration_id",
  name: "v.name",
  version: "v.version",
  op: "v.op",
  actor: "v.actor",
  created_at: isoTimestamp("v.created_at")
})

/** SQL: the change that version `v` records, as the API's JSON. */
export const changeOf = `(SELECT row_to_json(c)::text FROM (SELECT ${changeFields}) c)`

/** SQL, over versions `v`: the columns of a `RenderedChange` (revisions fit a JavaScript number exactly). */
export const changeColumns = `v.revision::float8 AS revision, ${changeOf} AS json`

/** A page of an application's changes after a revision, in revision order, or `Pruned` when retention removed one of them. */
export type ChangesAfter =
  | { readonly _tag: "Changes"; readonly current: number; readonly changes: ReadonlyArray<RenderedChange> }
  | { readonly _tag: "Pruned"; readonly current: number; readonly earliest: number }

/**
 * Application `id`'s changes after revision `after` (at most `limit`), each a `revision` and its
 * `json` as `columns` render them over versions `v`, with the revision the application is at,
 * read in one snapshot; `undefined` when there is no such application. `Pruned` when retention
 * removed a change after `after`: from `earliest` on, every change is kept.
 */
export const changesAfter = (sql: SqlClient, columns: string, id: string, after: number, limit: number | undefined) =>
  Effect.map(
    sql<{ current: number; pruned: number; revision: number | null; json: string | null }>`
      SELECT a.revision::float8 AS current, a.pruned_revision::float8 AS pruned, c.revision, c.json
      FROM applications a
      LEFT JOIN LATERAL (
        SELECT ${sql.literal(columns)}
        FROM configuration_versions v
        WHERE v.application_id = a.id AND v.revision > ${after} AND ${after} >= a.pruned_revision
        ORDER BY v.revision ${limit === undefined ? sql`` : sql`LIMIT ${limit}`}) c ON true
      WHERE a.id = ${id}
      ORDER BY c.revision`,
    (rows): ChangesAfter | undefined => {
      const [first] = rows
      if (first === undefined) return undefined
      if (after < first.pruned) return { _tag: "Pruned", current: first.current, earliest: first.pruned + 1 }
      const changes = rows.flatMap((row) => row.json === null ? [] : [{ revision: row.revision!, json: row.json }])
      return { _tag: "Changes", current: first.current, changes }
    }
  )

/** The body of `GET /applications/{id}/changes`. */
export const changesJson = (page: RenderedChanges) =>
  `{"revision":${page.revision},"changes":[${page.changes.map((change) => change.json).join(",")}]}`

/** Rendered versions and changes decoded into domain values, for typed callers. */
export const typedVersion = typedAs(Version)
export const typedChange = typedAs(Change)
export const typedChanges = typedAs(Changes)
