import { SqlError } from "@effect/sql/SqlError"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Option } from "effect"
import { DatabaseUnavailable, UnstorableText } from "../Domain/Errors.js"
import { foreignKeyViolation, isPoolTimeout, isUnavailable, mapSqlError, sqlState, uniqueViolation } from "./SqlErrors.js"

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

  it("a pool that found no free connection in time is told apart from the rest", () => {
    expect(isPoolTimeout(messageOnly("timeout exceeded when trying to connect"))).toBe(true)
    expect(isPoolTimeout(messageOnly("Connection terminated unexpectedly"))).toBe(false)
    expect(isPoolTimeout(pgError("57014", "canceling statement due to statement timeout"))).toBe(false)
    expect(isPoolTimeout(new SqlError({ message: "Failed to acquire connection" }))).toBe(false)
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
