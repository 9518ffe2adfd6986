import type { SqlClient } from "@effect/sql/SqlClient"
import type { Actor } from "../Domain/Version.js"

/**
 * SQL: the common table expressions that record what a write did, to follow a `written` CTE
 * of the rows it wrote as `(id, application_id, name, comments, config, version, op)` — the
 * version each row becomes and the op that made it.
 *
 * Each application's counter goes up by the number of rows written, and those rows take the
 * revisions it went past, in id order. The counter moves only when the write matched rows, so
 * a failed precondition takes no revision; the counter row stays locked until commit and a
 * writer that waited for it re-reads it, so revisions follow commit order with no gap. The
 * application row is locked only after every configuration row of the write (all of `written`
 * is counted before it): configuration first, then application, on every path.
 *
 * With `schemaVersion` (a write checked against the application's schema of that version) the
 * counter moves only while the application's `schema_version` is still that: a schema write locks
 * the row first, so a write that waited for it sees the new one. Add `schemaHeld` to the
 * statement, which then fails with SQLSTATE CS001 rather than write without a version.
 */
export const recordVersions = (sql: SqlClient, actor: Actor, schemaVersion?: number) =>
  sql`
    counted AS (
      UPDATE applications a SET revision = a.revision + w.n
      FROM (SELECT application_id, count(*) AS n FROM written GROUP BY application_id) w
      WHERE a.id = w.application_id
        ${schemaVersion === undefined ? sql`` : sql`AND a.schema_version = ${schemaVersion}`}
      RETURNING a.id, a.revision, w.n),
    recorded AS (
      INSERT INTO configuration_versions
        (application_id, configuration_id, version, revision, op, name, comments, config, actor)
      SELECT w.application_id, w.id, w.version,
             counted.revision - counted.n + row_number() OVER (PARTITION BY w.application_id ORDER BY w.id),
             w.op, w.name, w.comments, w.config, ${actor}
      FROM written w JOIN counted ON counted.id = w.application_id)`

/** SQL, a condition on the statement's result after `recordVersions`: fails it when rows were written but not counted. */
export const schemaHeld = (sql: SqlClient) =>
  sql`config_service_require_schema(NOT EXISTS (SELECT 1 FROM written) OR EXISTS (SELECT 1 FROM counted))`
