import type { SqlClient } from "@effect/sql/SqlClient"
import * as Context from "effect/Context"
import type { ConfigurationId } from "../Domain/Ids.js"

/** `KeepVersions` unless `HISTORY_KEEP_VERSIONS` says otherwise: every version is kept. */
export const defaultKeepVersions = 0

/**
 * How many versions of each configuration to keep (`HISTORY_KEEP_VERSIONS`); 0 keeps all.
 * Provide it to the repositories' layer: `Layer.succeed(KeepVersions, 10)`.
 */
export class KeepVersions extends Context.Reference<KeepVersions>()("History/KeepVersions", {
  defaultValue: (): number => defaultKeepVersions
}) {}

/**
 * Drops the versions of configuration `id` beyond its newest `keep` and raises its
 * application's `pruned_revision` to the highest revision dropped. Run it in the transaction of
 * the write, as a statement of its own: its snapshot, taken after the write holds the
 * configuration, sees every version committed before (the write's own snapshot may not).
 */
export const prune = (sql: SqlClient, id: ConfigurationId, keep: number) =>
  sql`
    WITH pruned AS (
      DELETE FROM configuration_versions v
      WHERE v.configuration_id = ${id}
        AND v.version <= (SELECT max(version) FROM configuration_versions WHERE configuration_id = ${id}) - ${keep}
      RETURNING v.application_id, v.revision)
    UPDATE applications a SET pruned_revision = p.revision
    FROM (SELECT application_id, max(revision) AS revision FROM pruned GROUP BY application_id) p
    WHERE a.id = p.application_id AND p.revision > a.pruned_revision`
