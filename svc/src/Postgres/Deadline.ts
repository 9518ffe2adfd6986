import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberId from "effect/FiberId"
import { DatabaseUnavailable } from "../Domain/Errors.js"

/** `DatabaseDeadline` unless `DATABASE_REQUEST_TIMEOUT` says otherwise. */
export const defaultDatabaseDeadline = Duration.millis(1500)

/** How long a request waits on the database before it is answered 503: a stopped database fails at once, a frozen one never answers. */
export class DatabaseDeadline extends Context.Reference<DatabaseDeadline>()("Postgres/Deadline", {
  defaultValue: (): Duration.Duration => defaultDatabaseDeadline
}) {}

/** The longest delay a Node.js timer takes (2^31 − 1 ms, about 24.8 days). */
const maxTimerMs = 2_147_483_647

/**
 * Gives up on `self` after `deadline` with `DatabaseUnavailable`. The statement is left to
 * finish or be cancelled in the background, so the answer is not held up by a database
 * that does not respond (a write answered 503 may still have been committed). The statement
 * runs on its own fiber: FiberRef changes it makes do not reach the caller.
 */
export const withDeadline = (deadline: Duration.Duration) => {
  const ms = Duration.toMillis(deadline)
  // Beyond this a Node.js timer would fire at once; such a deadline means none.
  if (ms > maxTimerMs) return <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | DatabaseUnavailable, R> => self
  // A timer and an observer on one background fiber: `Effect.timeout` would race two fibers per statement.
  return <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | DatabaseUnavailable, R> =>
    Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(Effect.forkDaemon(restore(self)), (fiber) =>
        Effect.onInterrupt(
          restore(Effect.async<A, E | DatabaseUnavailable>((resume) => {
            const finished = fiber.unsafePoll()
            if (finished !== null) return resume(finished)
            let answered = false
            const answer = (result: Effect.Effect<A, E | DatabaseUnavailable>) => {
              if (answered) return
              answered = true
              clearTimeout(timer)
              resume(result)
            }
            const timer = setTimeout(() => {
              answer(Effect.fail(DatabaseUnavailable.instance))
              fiber.unsafeInterruptAsFork(FiberId.none)
            }, ms)
            fiber.addObserver(answer)
            return Effect.sync(() => {
              answered = true
              clearTimeout(timer)
            })
          })),
          () => Effect.sync(() => fiber.unsafeInterruptAsFork(FiberId.none))
        ))
    )
}
