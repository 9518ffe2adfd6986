import type { SqlClient as Sql } from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import { repositoryTools, untracedStack } from "../Postgres/Repository.js"
import {
  ApplicationNotFound,
  ChangesPruned,
  ConfigurationNotFound,
  VersionNotFound,
  VersionPruned
} from "../Domain/Errors.js"
import type { ApplicationId, ConfigurationId } from "../Domain/Ids.js"
import { changeColumns, changesAfter, type RenderedChanges, renderVersions } from "./Resource.js"

export interface VersionsPage {
  readonly limit?: number | undefined
  /** Only versions numbered below this one. */
  readonly before?: number | undefined
}

export interface ChangesPage {
  /** Only changes with a revision above this one; default 0. */
  readonly after?: number | undefined
  readonly limit?: number | undefined
}

/**
 * Why configuration `id` has no version `version`: it never had one (`ConfigurationNotFound`
 * when it has no versions at all), or retention removed it. A configuration's kept versions
 * are consecutive, and only its oldest are removed.
 */
export const missingVersion = (sql: Sql, id: ConfigurationId, version: number) =>
  Effect.flatMap(
    sql<{ earliest: number | null }>`
      SELECT min(version) AS earliest FROM configuration_versions WHERE configuration_id = ${id}`,
    ([row]): Effect.Effect<never, ConfigurationNotFound | VersionNotFound | VersionPruned> => {
      if (row?.earliest == null) return Effect.fail(ConfigurationNotFound.of(id))
      const pruned = version >= 1 && version < row.earliest
      return Effect.fail(pruned ? VersionPruned.of(id, version) : VersionNotFound.of(id, version))
    }
  )

/**
 * The history of configurations in SQL: their versions, and each application's changes in
 * revision order. Reads yield what PostgreSQL rendered (decode with `Resource.typedVersion`,
 * `typedChange` or `typedChanges`). The versions are written by `ConfigurationsRepo`.
 */
export class HistoryRepo extends Effect.Service<HistoryRepo>()("History/Repo", {
  effect: Effect.gen(function*() {
    const { sql, guard } = yield* repositoryTools

    /** The configuration's versions, newest first; they outlive its deletion. */
    const versions = Effect.fn("History/Repo.versions", untracedStack)(
      function*(id: ConfigurationId, page: VersionsPage = {}) {
        const rows = yield* renderVersions(
          sql,
          sql`configuration_versions v
              WHERE v.configuration_id = ${id}
                ${page.before === undefined ? sql`` : sql`AND v.version < ${page.before}`}
              ORDER BY v.version DESC ${page.limit === undefined ? sql`` : sql`LIMIT ${page.limit}`}`
        )
        if (rows.length > 0) return rows
        const any = yield* sql`SELECT 1 FROM configuration_versions WHERE configuration_id = ${id} LIMIT 1`
        return any.length > 0 ? rows : yield* ConfigurationNotFound.of(id)
      },
      (effect) => guard()(effect)
    )

    const version = Effect.fn("History/Repo.version", untracedStack)(
      function*(id: ConfigurationId, version: number) {
        const [row] = yield* renderVersions(
          sql,
          sql`configuration_versions v WHERE v.configuration_id = ${id} AND v.version = ${version}`
        )
        return row ?? (yield* missingVersion(sql, id, version))
      },
      (effect) => guard()(effect)
    )

    /**
     * The application's current revision and its changes after `after`, in revision order, read
     * in one snapshot. `ChangesPruned` when retention removed a change after `after`.
     */
    const changes = Effect.fn("History/Repo.changes", untracedStack)(
      function*(id: ApplicationId, page: ChangesPage = {}) {
        const found = yield* changesAfter(sql, changeColumns, id, page.after ?? 0, page.limit)
        if (found === undefined) return yield* ApplicationNotFound.of(id)
        if (found._tag === "Pruned") return yield* ChangesPruned.of(id, found.earliest)
        return { revision: found.current, changes: found.changes } satisfies RenderedChanges
      },
      (effect) => guard()(effect)
    )

    return { versions, version, changes } as const
  })
}) {}
