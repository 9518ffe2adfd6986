import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { expect, it } from "@effect/vitest"
import { Duration, Effect, Layer } from "effect"
import { DatabaseUnavailable, UnstorableText } from "../Domain/Errors.js"
import { layerTestDatabase } from "../Testing/TestDatabase.js"
import { DatabaseDeadline } from "./Deadline.js"
import { firstRow, makeGuard, preconditionHolds } from "./Repository.js"
import { uniqueViolation } from "./SqlErrors.js"

class Taken {
  readonly _tag = "Taken"
}

const sqlError = (code: string) => new SqlError({ cause: Object.assign(new Error(code), { code }), message: "failed" })

const Short = Layer.succeed(DatabaseDeadline, Duration.millis(50))

it.layer(Layer.merge(layerTestDatabase, Short))("Repository", (it) => {
  it.effect("a guard maps SQLSTATEs to domain errors and gives up on a database that does not answer", () =>
    Effect.gen(function*() {
      const guard = yield* makeGuard
      const taken = guard({ [uniqueViolation]: () => new Taken() })
      expect(yield* Effect.flip(taken(Effect.fail(sqlError(uniqueViolation))))).toBeInstanceOf(Taken)
      expect(yield* Effect.flip(taken(Effect.fail(sqlError("22021"))))).toBeInstanceOf(UnstorableText)
      expect(yield* Effect.flip(taken(Effect.fail(sqlError("08006"))))).toBeInstanceOf(DatabaseUnavailable)
      expect(yield* taken(Effect.succeed(7))).toBe(7)
      expect(yield* Effect.flip(guard()(Effect.never))).toBeInstanceOf(DatabaseUnavailable)
    }), { timeout: 10_000 })

  it.effect("firstRow and preconditionHolds", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      expect(yield* firstRow(() => Effect.fail("none"))([1, 2])).toBe(1)
      expect(yield* Effect.flip(firstRow(() => Effect.fail("none"))([]))).toBe("none")
      const matches = (precondition: "any" | ReadonlyArray<string>) =>
        Effect.map(sql<{ ok: boolean }>`SELECT ${preconditionHolds(sql, "'2-ab'", precondition)} AS ok`, (rows) => rows[0]!.ok)
      expect(yield* matches("any")).toBe(true)
      expect(yield* matches(["1-ab", "2-ab"])).toBe(true)
      expect(yield* matches(["2-a", "2-ab,"])).toBe(false)
      expect(yield* matches([])).toBe(false)
    }))
})
