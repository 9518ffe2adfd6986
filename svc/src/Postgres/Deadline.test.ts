import { describe, expect, it } from "@effect/vitest"
import { Cause, Duration, Effect, Exit, Fiber } from "effect"
import { DatabaseUnavailable, ServiceBusy } from "../Domain/Errors.js"
import type { DatabaseLoad } from "./DatabaseLoad.js"
import { withDeadline } from "./Deadline.js"

describe("withDeadline", () => {
  it.live("answers DatabaseUnavailable when the database does not answer in time, without waiting for it", () =>
    Effect.gen(function*() {
      let interrupted = false
      // The statement never answers, and once told to stop takes seconds to do so.
      const hanging = Effect.never.pipe(
        Effect.onInterrupt(() => Effect.sleep("2 seconds").pipe(Effect.zipRight(Effect.sync(() => (interrupted = true)))))
      )
      const error = yield* Effect.flip(withDeadline(Duration.millis(50))(hanging))
      expect(error).toBeInstanceOf(DatabaseUnavailable)
      expect(interrupted, "answered before the statement finished stopping").toBe(false)
      for (let waited = 0; !interrupted && waited < 100; waited++) yield* Effect.sleep("100 millis")
      expect(interrupted, "the statement was told to stop in the background").toBe(true)
      expect(yield* withDeadline(Duration.seconds(1))(Effect.succeed(42))).toBe(42)
    }))

  it.live("passes failures and defects of the statement through", () =>
    Effect.gen(function*() {
      const deadline = withDeadline(Duration.seconds(1))
      expect(yield* Effect.flip(deadline(Effect.fail("refused" as const)))).toBe("refused")
      expect(yield* Effect.flip(deadline(Effect.sleep("20 millis").pipe(Effect.zipRight(Effect.fail("late" as const)))))).toBe("late")
      const exit = yield* Effect.exit(deadline(Effect.die("broken")))
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
    }))

  it.live("a caller that is interrupted interrupts the statement in the background", () =>
    Effect.gen(function*() {
      let interrupted = false
      const hanging = Effect.never.pipe(Effect.onInterrupt(() => Effect.sync(() => (interrupted = true))))
      const caller = yield* Effect.fork(withDeadline(Duration.seconds(5))(hanging))
      yield* Effect.sleep("20 millis")
      yield* Fiber.interrupt(caller)
      yield* Effect.sleep("20 millis")
      expect(interrupted).toBe(true)
    }))

  it.live("a deadline longer than a timer can wait (about 24.8 days) is no deadline", () =>
    Effect.gen(function*() {
      expect(yield* withDeadline(Duration.days(30))(Effect.sleep("30 millis").pipe(Effect.as("answered")))).toBe("answered")
      expect(yield* withDeadline(Duration.infinity)(Effect.succeed("answered"))).toBe("answered")
    }))

  const load = (answering: () => boolean, patienceMs: number): DatabaseLoad["Type"] => ({
    answering,
    waiting: () => 0,
    maxWaiting: 40,
    patienceMs
  })

  it.live("while PostgreSQL answers others, a request waits its turn past the deadline", () =>
    Effect.gen(function*() {
      const queued = Effect.sleep("300 millis").pipe(Effect.as("answered"))
      expect(yield* withDeadline(Duration.millis(50), load(() => true, 5_000))(queued)).toBe("answered")
    }))

  it.live("a request that waited its whole patience while PostgreSQL answered others is told busy, not unavailable", () =>
    Effect.gen(function*() {
      const started = Date.now()
      const error = yield* Effect.flip(withDeadline(Duration.millis(50), load(() => true, 300))(Effect.never))
      expect(error).toBeInstanceOf(ServiceBusy)
      expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    }))

  it.live("a database that stopped answering is unavailable at the deadline, whatever the patience", () =>
    Effect.gen(function*() {
      let answering = true
      const stops = Effect.sleep("120 millis").pipe(Effect.zipRight(Effect.sync(() => (answering = false))))
      yield* Effect.fork(stops)
      const error = yield* Effect.flip(withDeadline(Duration.millis(50), load(() => answering, 60_000))(Effect.never))
      expect(error).toBeInstanceOf(DatabaseUnavailable)
      expect(answering).toBe(false)
    }))
})
