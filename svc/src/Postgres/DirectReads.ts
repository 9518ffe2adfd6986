import * as Context from "effect/Context"
import type pg from "pg"

/**
 * Statements run on the service's pool straight from node-postgres, outside the Effect runtime:
 * what the fast path loads a read-cache miss with. Only for a statement a repository builds and
 * runs itself through `SqlClient` too (the same text, compiled by the same client), so both paths
 * read the same rows.
 */
export class DirectReads extends Context.Tag("Postgres/DirectReads")<DirectReads, {
  readonly query: (text: string, values: ReadonlyArray<unknown>) => Promise<ReadonlyArray<unknown>>
}>() {}

/** `DirectReads` on `pool`. */
export const directReadsOn = (pool: pg.Pool): DirectReads["Type"] => ({
  query: (text, values) => pool.query(text, values as Array<unknown>).then((result) => result.rows)
})
