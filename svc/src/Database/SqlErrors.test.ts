import { SqlError } from "@effect/sql/SqlError"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Duration, Effect, Exit, Fiber, Option } from "effect"
import { DatabaseUnavailable, UnstorableText } from "../Domain/Errors.js"
import { foreignKeyViolation, isUnavailable, mapSqlError, sqlState, uniqueViolation, withDeadline } from "./SqlErrors.js"

/** A SqlError as @effect/sql-pg makes it: the driver's error (with its SQLSTATE `code`) as the cause. */
const pgError = (code: string, message = `error ${code}`) =>
  new SqlError({ cause: Object.assign(new Error(message), { code }), message: "Failed to execute statement" })

const messageOnly = (message: string) => new SqlError({ cause: new Error(message), message: "Failed to execute statement" })

class NameTaken {
  readonly _tag = "NameTaken"
}
class ParentMissing {
  readonly _tag = "ParentMissing"
}

const handlers: { readonly [state: string]: () => NameTaken | ParentMissing } = {
  [uniqueViolation]: () => new NameTaken(),
  [foreignKeyViolation]: () => new ParentMissing()
}

describe("sqlState", () => {
  it("is the cause's string code", () => {
    expect(sqlState(pgError("23505"))).toBe("23505")
    expect(sqlState(pgError("ECONNREFUSED"))).toBe("ECONNREFUSED")
  })

  it("is undefined without a cause, or when the code is not a string", () => {
    expect(sqlState(new SqlError({ message: "no cause" }))).toBeUndefined()
    expect(sqlState(new SqlError({ cause: { code: 23505 }, message: "numeric" }))).toBeUndefined()
    expect(sqlState(messageOnly("boom"))).toBeUndefined()
  })
})

describe("isUnavailable", () => {
  it("connection, resource and operator-intervention states are unavailable", () => {
    for (const code of ["08006", "08001", "57P01", "57014", "53300", "58000"]) {
      expect(isUnavailable(pgError(code)), code).toBe(true)
    }
  })

  it("socket errors are unavailable", () => {
    for (const code of ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]) {
      expect(isUnavailable(pgError(code)), code).toBe(true)
    }
  })

  it("pool messages without a code are unavailable", () => {
    expect(isUnavailable(messageOnly("timeout exceeded when trying to connect"))).toBe(true)
    expect(isUnavailable(messageOnly("Connection terminated unexpectedly"))).toBe(true)
    expect(isUnavailable(new SqlError({ message: "Failed to acquire connection" }))).toBe(true)
  })

  it("constraint and syntax errors are not", () => {
    for (const code of ["23505", "23503", "42601", "22P05", "22021"]) {
      expect(isUnavailable(pgError(code)), code).toBe(false)
    }
    expect(isUnavailable(messageOnly("something else broke"))).toBe(false)
  })
})

describe("mapSqlError", () => {
  it.effect("23505 and 23503 go to their handlers", () =>
    Effect.gen(function*() {
      const unique = yield* Effect.flip(mapSqlError(handlers)(pgError("23505")))
      expect(unique).toBeInstanceOf(NameTaken)
      const foreign = yield* Effect.flip(mapSqlError(handlers)(pgError("23503")))
      expect(foreign).toBeInstanceOf(ParentMissing)
    }))

  it.effect("22P05 and 22021 are UnstorableText", () =>
    Effect.gen(function*() {
      for (const code of ["22P05", "22021"]) {
        const error = yield* Effect.flip(mapSqlError(handlers)(pgError(code)))
        expect(error).toBeInstanceOf(UnstorableText)
        expect(error._tag).toBe("UnstorableText")
      }
    }))

  it.effect("08006, 57P01, ECONNREFUSED and a connect timeout are DatabaseUnavailable", () =>
    Effect.gen(function*() {
      const errors = [
        pgError("08006"),
        pgError("57P01", "terminating connection due to administrator command"),
        pgError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432"),
        messageOnly("timeout exceeded when trying to connect")
      ]
      for (const sqlError of errors) {
        const error = yield* Effect.flip(mapSqlError()(sqlError))
        expect(error).toBeInstanceOf(DatabaseUnavailable)
        expect(error._tag).toBe("DatabaseUnavailable")
      }
    }))

  it.effect("a handler wins over the built-in mapping for its state", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(mapSqlError({ "08006": () => new NameTaken() })(pgError("08006")))
      expect(error).toBeInstanceOf(NameTaken)
    }))

  it.effect("a constraint state without a handler, or any other state, is a defect", () =>
    Effect.gen(function*() {
      for (const [sqlError, mapper] of [
        [pgError("42601", "syntax error at or near \"SELEC\""), mapSqlError(handlers)],
        [pgError("23505"), mapSqlError()],
        [messageOnly("something else broke"), mapSqlError(handlers)]
      ] as const) {
        const exit = yield* Effect.exit(mapper(sqlError))
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isFailure(exit)) {
          expect(Cause.isDie(exit.cause)).toBe(true)
          expect(Cause.failureOption(exit.cause)).toEqual(Option.none())
          expect(Cause.dieOption(exit.cause)).toEqual(Option.some(sqlError))
        }
      }
    }))
})

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
})
