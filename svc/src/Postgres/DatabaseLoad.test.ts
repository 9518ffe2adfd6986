import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Context, Duration, Effect, Either, Layer, Redacted } from "effect"
import pg from "pg"
import { waitFor } from "../../test/History.js"
import { layerPgClient } from "../ChangeFeed/Database.js"
import { DatabaseUnavailable, ServiceBusy } from "../Domain/Errors.js"
import { freshDatabase } from "../Testing/TestDatabase.js"
import { DatabaseLoad, waitingPerConnection } from "./DatabaseLoad.js"
import { DatabaseDeadline } from "./Deadline.js"
import { makeGuard } from "./Repository.js"

const poolSize = 2

class DatabaseUrl extends Context.Tag("test/DatabaseUrl")<DatabaseUrl, { readonly url: Redacted.Redacted<string> }>() {}

const Database = Layer.unwrapScoped(Effect.map(freshDatabase, (url) =>
  Layer.mergeAll(
    layerPgClient({ url, poolSize, connectTimeout: "5 seconds", statementTimeout: "20 seconds" }),
    Layer.succeed(DatabaseDeadline, Duration.millis(300)),
    Layer.succeed(DatabaseUrl, { url })
  )))

/** A connection of its own, outside the pool, for taking locks the pool's requests then wait on. */
const outsider = Effect.flatMap(DatabaseUrl, ({ url }) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const client = new pg.Client({ connectionString: Redacted.value(url) })
      await client.connect()
      return client
    }),
    (client) => Effect.promise(() => client.end())
  ))

it.layer(Database)("DatabaseLoad", (it) => {
  it.effect("PostgreSQL answering the change feed's probes is seen as answering, with the pool's queue and limits", () =>
    Effect.gen(function*() {
      const load = yield* DatabaseLoad
      expect(yield* waitFor(load.answering, 20_000)).toBe(true)
      expect(load.waiting()).toBe(0)
      expect(load.maxWaiting).toBe(poolSize * waitingPerConnection)
      expect(load.patienceMs).toBe(20_000)
    }))

  it.scoped("a statement waiting on a row lock past the deadline is answered when the lock goes, not 503", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const guard = yield* makeGuard
      expect(yield* waitFor((yield* DatabaseLoad).answering, 20_000)).toBe(true)
      yield* sql`CREATE TABLE turns (id int PRIMARY KEY, n int NOT NULL)`
      yield* sql`INSERT INTO turns VALUES (1, 0)`
      const holder = yield* outsider
      yield* Effect.promise(() => holder.query("BEGIN; UPDATE turns SET n = n + 1 WHERE id = 1"))
      setTimeout(() => void holder.query("COMMIT"), 1_500)
      const started = Date.now()
      const updated = yield* guard()(sql<{ n: number }>`UPDATE turns SET n = n + 1 WHERE id = 1 RETURNING n`)
      expect(updated).toEqual([{ n: 2 }])
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000)
    }), { timeout: 60_000 })

  it.scoped("with more requests waiting for a connection than the pool serves soon, the next is answered busy at once", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const guard = yield* makeGuard
      const load = yield* DatabaseLoad
      const slow = guard()(sql`SELECT pg_sleep(2)`)
      const held = Array.from({ length: poolSize + load.maxWaiting }, () => Effect.either(slow))
      const fiber = yield* Effect.fork(Effect.all(held, { concurrency: "unbounded" }))
      expect(yield* waitFor(() => load.waiting() >= load.maxWaiting, 10_000)).toBe(true)
      const started = Date.now()
      const refused = yield* Effect.flip(guard()(sql`SELECT 1`))
      expect(refused).toBeInstanceOf(ServiceBusy)
      expect(refused.message).toMatch(/busy/)
      expect(Date.now() - started).toBeLessThan(1_000)
      const outcomes = yield* fiber.await.pipe(Effect.flatten)
      expect(outcomes.every((outcome) => Either.isRight(outcome) || !(outcome.left instanceof DatabaseUnavailable))).toBe(true)
    }), { timeout: 60_000 })
})
