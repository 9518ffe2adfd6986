import { SqlError } from "@effect/sql/SqlError"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { ServiceBusy, type UnstorableText } from "../Domain/Errors.js"
import type { Precondition } from "../Domain/ETag.js"
import { DatabaseLoad, queueFull } from "./DatabaseLoad.js"
import { DatabaseDeadline, type Refused, withDeadline } from "./Deadline.js"
import { isPoolTimeout, mapSqlError, type SqlErrorHandlers } from "./SqlErrors.js"

/** Span options of repository operations: capturing the call site's stack would cost more than many statements. */
export const untracedStack = { captureStackTrace: false } as const

/**
 * What every repository operation puts around its SQL, the last step of its `Effect.fn`:
 * SQL failures become domain errors (`handlers` by SQLSTATE, then `mapSqlError`'s own; no pooled
 * connection within the connect timeout while PostgreSQL answers others is `ServiceBusy`); the
 * request gives up on a database that does not answer by the `DatabaseDeadline`; and while more
 * requests wait for a pooled connection than `DatabaseLoad` allows, it is answered `ServiceBusy`
 * at once instead of joining the queue.
 */
export const makeGuard = Effect.gen(function*() {
  const load = Option.getOrUndefined(yield* Effect.serviceOption(DatabaseLoad))
  const withinDeadline = withDeadline(yield* DatabaseDeadline, load)
  const shed = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | ServiceBusy, R> =>
    load === undefined
      ? self
      : Effect.suspend((): Effect.Effect<A, E | ServiceBusy, R> =>
        queueFull(load) ? Effect.fail(ServiceBusy.instance) : self
      )
  return <E = never>(handlers: SqlErrorHandlers<E> = {}) =>
  <A, E2, R>(
    self: Effect.Effect<A, E2, R>
  ): Effect.Effect<A, Exclude<E2, SqlError> | E | UnstorableText | Refused, R> =>
    shed(withinDeadline(
      Effect.catchIf(
        self,
        (error): error is Extract<E2, SqlError> => error instanceof SqlError,
        (error): Effect.Effect<never, E | UnstorableText | Refused> =>
          isPoolTimeout(error) && load?.answering() ? Effect.fail(ServiceBusy.instance) : mapSqlError(handlers)(error)
      )
    )) as Effect.Effect<A, Exclude<E2, SqlError> | E | UnstorableText | Refused, R>
})

export type Guard = Effect.Effect.Success<typeof makeGuard>

/** What every repository works with: the SQL client, and the guard it puts around each operation. */
export const repositoryTools = Effect.all({ sql: SqlClient.SqlClient, guard: makeGuard })

/** The first row, or `onNone`'s failure when there is none. */
export const firstRow = <E, R>(onNone: () => Effect.Effect<never, E, R>) => <A>(rows: ReadonlyArray<A>) =>
  rows.length > 0 ? Effect.succeed(rows[0]!) : onNone()

/** SQL: whether the entity tag `tag` (an unquoted SQL expression) meets `precondition` (`If-Match`). */
export const preconditionHolds = (sql: SqlClient.SqlClient, tag: string, precondition: Precondition) =>
  precondition === "any"
    ? sql`true`
    : sql`${sql.literal(tag)} IN (SELECT jsonb_array_elements_text(${JSON.stringify(precondition)}::jsonb))`
