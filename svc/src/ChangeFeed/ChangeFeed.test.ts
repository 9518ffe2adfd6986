import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { layerTestDatabase } from "../Testing/TestDatabase.js"
import { ChangeFeed } from "./ChangeFeed.js"

const waitFor = (condition: () => boolean, ms = 3000) =>
  Effect.promise(async () => {
    const deadline = Date.now() + ms
    while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    return condition()
  })

it.layer(layerTestDatabase)("ChangeFeed", (it) => {
  it.scoped("hears every committed change to applications and configurations, and nothing uncommitted", () =>
    Effect.gen(function*() {
      const feed = yield* ChangeFeed
      const sql = yield* SqlClient.SqlClient
      expect(yield* waitFor(() => feed.trusted())).toBe(true)
      expect(feed.answering()).toBe(true)
      const heard: Array<string> = []
      yield* feed.subscribe({ change: (key) => heard.push(key), reset: () => {} })

      yield* sql`INSERT INTO applications (id, name) VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FA1', 'feed')`
      yield* sql`INSERT INTO configurations (id, application_id, name, config)
                 VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FC1', '01ARZ3NDEKTSV4RRFFQ69G5FA1', 'c', '{}')`
      yield* sql`UPDATE configurations SET config = '{"a":1}' WHERE id = '01ARZ3NDEKTSV4RRFFQ69G5FC1'`
      expect(yield* waitFor(() => heard.length >= 4)).toBe(true)
      expect(heard).toEqual([
        "a:01ARZ3NDEKTSV4RRFFQ69G5FA1",
        "c:01ARZ3NDEKTSV4RRFFQ69G5FC1",
        "a:01ARZ3NDEKTSV4RRFFQ69G5FA1",
        "c:01ARZ3NDEKTSV4RRFFQ69G5FC1"
      ])

      heard.length = 0
      yield* sql.withTransaction(
        Effect.zipRight(sql`UPDATE applications SET name = 'rolled back'`, Effect.fail("abort" as const))
      ).pipe(Effect.ignore)
      yield* sql`DELETE FROM configurations`
      expect(yield* waitFor(() => heard.length >= 2)).toBe(true)
      expect(heard).toEqual(["c:01ARZ3NDEKTSV4RRFFQ69G5FC1", "a:01ARZ3NDEKTSV4RRFFQ69G5FA1"])

      heard.length = 0
      yield* sql`TRUNCATE configurations`
      expect(yield* waitFor(() => heard.includes("*"))).toBe(true)
    }))

  it.scoped("a lost connection resets its listeners, and it reconnects by itself", () =>
    Effect.gen(function*() {
      const feed = yield* ChangeFeed
      const sql = yield* SqlClient.SqlClient
      expect(yield* waitFor(() => feed.trusted())).toBe(true)
      let resets = 0
      const heard: Array<string> = []
      const scope = yield* Scope.make()
      yield* feed.subscribe({ change: (key) => heard.push(key), reset: () => resets++ }).pipe(Scope.extend(scope))
      yield* sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'config-service-changes' AND datname = current_database()`
      expect(yield* waitFor(() => resets >= 1)).toBe(true)
      expect(yield* waitFor(() => feed.trusted() && resets >= 2)).toBe(true)
      yield* sql`INSERT INTO applications (id, name) VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FA2', 'after reconnect')`
      expect(yield* waitFor(() => heard.includes("a:01ARZ3NDEKTSV4RRFFQ69G5FA2"))).toBe(true)
      yield* Scope.close(scope, Exit.void)
      yield* sql`UPDATE applications SET name = 'unheard' WHERE id = '01ARZ3NDEKTSV4RRFFQ69G5FA2'`
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 200)))
      expect(heard.filter((key) => key === "a:01ARZ3NDEKTSV4RRFFQ69G5FA2")).toHaveLength(1)
    }))
})
