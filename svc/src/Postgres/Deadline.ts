import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberId from "effect/FiberId"
import { DatabaseUnavailable, ServiceBusy } from "../Domain/Errors.js"
import type { DatabaseLoad } from "./DatabaseLoad.js"

/** Why a request that waited on the database was not answered. */
export type Refused = DatabaseUnavailable | ServiceBusy

/** `DatabaseDeadline` unless `DATABASE_REQUEST_TIMEOUT` says otherwise. */
export const defaultDatabaseDeadline = Duration.millis(1500)

/**
 * How long a request waits on the database before it is answered 503, unless PostgreSQL answers
 * others meanwhile: a stopped database fails at once, a frozen one never answers.
 */
export class DatabaseDeadline extends Context.Reference<DatabaseDeadline>()("Postgres/Deadline", {
  defaultValue: (): Duration.Duration => defaultDatabaseDeadline
}) {}

/** The longest delay a Node.js timer takes (2^31 − 1 ms, about 24.8 days). */
const maxTimerMs = 2_147_483_647

/** What a request that gave up waiting is told: busy while PostgreSQL answers others, else unavailable. */
const gaveUp = (load: DatabaseLoad["Type"] | undefined) =>
  load?.answering() ? ServiceBusy.instance : DatabaseUnavailable.instance

/**
 * Gives up on `self` after `deadline` with `DatabaseUnavailable` — unless PostgreSQL answers
 * others meanwhile (`load`): then the request is waiting its turn, and it waits on, a deadline
 * at a time, up to `load.patienceMs`, after which it is answered `ServiceBusy`. The statement
 * is left to finish or be cancelled in the background, so the answer is not held up by a
 * database that does not respond (a write answered 503 may still have been committed). The
 * statement runs on its own fiber: FiberRef changes it makes do not reach the caller.
 */
export const withDeadline = (deadline: Duration.Duration, load?: DatabaseLoad["Type"]) => {
  const ms = Duration.toMillis(deadline)
  // Beyond this a Node.js timer would fire at once; such a deadline means none.
  if (ms > maxTimerMs) return <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | Refused, R> => self
  const patience = Math.max(ms, load?.patienceMs ?? ms)
  // A timer and an observer on one background fiber: `Effect.timeout` would race two fibers per statement.
  return <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | Refused, R> =>
    Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(Effect.forkDaemon(restore(self)), (fiber) =>
        Effect.onInterrupt(
          restore(Effect.async<A, E | Refused>((resume) => {
            const finished = fiber.unsafePoll()
            if (finished !== null) return resume(finished)
            const started = performance.now()
            let answered = false
            const answer = (result: Effect.Effect<A, E | Refused>) => {
              if (answered) return
              answered = true
              clearTimeout(timer)
              resume(result)
            }
            const expire = () => {
              const left = patience - (performance.now() - started)
              if (left >= 1 && load?.answering()) {
                timer = setTimeout(expire, Math.min(ms, left))
                return
              }
              answer(Effect.fail(gaveUp(load)))
              fiber.unsafeInterruptAsFork(FiberId.none)
            }
            let timer = setTimeout(expire, ms)
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
