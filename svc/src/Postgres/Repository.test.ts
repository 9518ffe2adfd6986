import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { expect, it } from "@effect/vitest"
import { Duration, Effect, Layer } from "effect"
import { DatabaseUnavailable, ServiceBusy, UnstorableText } from "../Domain/Errors.js"
import { layerTestDatabase } from "../Testing/TestDatabase.js"
import { DatabaseLoad } from "./DatabaseLoad.js"
import { DatabaseDeadline } from "./Deadline.js"
import { firstRow, makeGuard, preconditionHolds } from "./Repository.js"
import { uniqueViolation } from "./SqlErrors.js"

class Taken {
  readonly _tag = "Taken"
}

const sqlError = (code: string) => new SqlError({ cause: Object.assign(new Error(code), { code }), message: "failed" })

const Short = Layer.succeed(DatabaseDeadline, Duration.millis(50))

it.layer(Layer.merge(layerTestDatabase, Short))("Repository", (it) => {
  it.effect("a guard maps SQLSTATEs to domain errors, gives up on a database that does not answer, and sheds or gives up busy on one that answers others", () =>
    Effect.gen(function*() {
      const guard = yield* makeGuard
      const taken = guard({ [uniqueViolation]: () => new Taken() })
      expect(yield* Effect.flip(taken(Effect.fail(sqlError(uniqueViolation))))).toBeInstanceOf(Taken)
      expect(yield* Effect.flip(taken(Effect.fail(sqlError("22021"))))).toBeInstanceOf(UnstorableText)
      expect(yield* Effect.flip(taken(Effect.fail(sqlError("08006"))))).toBeInstanceOf(DatabaseUnavailable)
      expect(yield* taken(Effect.succeed(7))).toBe(7)
      const load = (answering: boolean) => ({ answering: () => answering, waiting: () => 0, maxWaiting: 8, patienceMs: 200 })
      const silent = yield* makeGuard.pipe(Effect.provideService(DatabaseLoad, load(false)))
      expect(yield* Effect.flip(silent()(Effect.never))).toBeInstanceOf(DatabaseUnavailable)
      const busy = yield* makeGuard.pipe(Effect.provideService(DatabaseLoad, load(true)))
      expect(yield* Effect.flip(busy()(Effect.never))).toBeInstanceOf(ServiceBusy)
      const full = yield* makeGuard.pipe(Effect.provideService(DatabaseLoad, { ...load(true), waiting: () => 8 }))
      let ran = false
      expect(yield* Effect.flip(full()(Effect.sync(() => (ran = true))))).toBeInstanceOf(ServiceBusy)
      expect(ran, "a shed request never reaches the database").toBe(false)
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
