import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Redacted, Scope } from "effect"
import pg from "pg"
import { layerTestDatabase, testServerUrl } from "../Testing/TestDatabase.js"
import { ChangeFeed, ticksOf } from "./ChangeFeed.js"
import { changesChannel } from "./ChangeKeys.js"

const waitFor = (condition: () => boolean, ms = 3000) =>
  Effect.promise(async () => {
    const deadline = Date.now() + ms
    while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    return condition()
  })

/** A URL of the test's own database, for connections of the test's own outside the service's. */
const thisDatabase = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [{ name }] = yield* sql<{ name: string }>`SELECT current_database() AS name`
  const url = new URL(Redacted.value(yield* testServerUrl))
  url.pathname = `/${name}`
  return url.toString()
})

/** The feed once trusted, and the keys it hands on from now, in order. */
const trustedFeed = Effect.gen(function*() {
  const feed = yield* ChangeFeed
  expect(yield* waitFor(() => feed.trusted())).toBe(true)
  const heard: Array<string> = []
  yield* feed.subscribe({ change: (key) => heard.push(key), reset: () => {} })
  return { feed, heard, sql: yield* SqlClient.SqlClient }
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

  it.scoped("a lost connection catches up on what committed meanwhile, with no reset", () =>
    Effect.gen(function*() {
      const feed = yield* ChangeFeed
      const sql = yield* SqlClient.SqlClient
      expect(yield* waitFor(() => feed.trusted())).toBe(true)
      let resets = 0
      const heard: Array<string> = []
      const scope = yield* Scope.make()
      yield* feed.subscribe({ change: (key) => heard.push(key), reset: () => resets++ }).pipe(Scope.extend(scope))
      yield* sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'config-service-changes' AND datname = current_database()`
      yield* sql`INSERT INTO applications (id, name) VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FA2', 'while reconnecting')`
      expect(yield* waitFor(() => heard.includes("a:01ARZ3NDEKTSV4RRFFQ69G5FA2"))).toBe(true)
      expect(yield* waitFor(() => feed.trusted())).toBe(true)
      expect(resets).toBe(0)
      yield* Scope.close(scope, Exit.void)
      yield* sql`UPDATE applications SET name = 'unheard' WHERE id = '01ARZ3NDEKTSV4RRFFQ69G5FA2'`
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 600)))
      expect(heard.filter((key) => key === "a:01ARZ3NDEKTSV4RRFFQ69G5FA2")).toHaveLength(1)
    }))

  it.scoped("hears each change once, whichever of two transactions took its id first or committed first", () =>
    Effect.gen(function*() {
      const { heard, sql } = yield* trustedFeed
      const url = yield* thisDatabase
      const [first, second] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })]
      yield* Effect.acquireRelease(
        Effect.promise(() => Promise.all([first.connect(), second.connect()])),
        () => Effect.promise(() => Promise.all([first.end(), second.end()]))
      )
      yield* Effect.promise(async () => {
        await first.query("BEGIN")
        await first.query("INSERT INTO applications (id, name) VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FA3', 'older id')")
        await second.query("INSERT INTO applications (id, name) VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FA4', 'younger id')")
      })
      expect(yield* waitFor(() => heard.includes("a:01ARZ3NDEKTSV4RRFFQ69G5FA4"))).toBe(true)
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 600)))
      expect(heard).toEqual(["a:01ARZ3NDEKTSV4RRFFQ69G5FA4"])
      yield* Effect.promise(() => first.query("COMMIT"))
      expect(yield* waitFor(() => heard.length >= 2)).toBe(true)
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 600)))
      expect(heard).toEqual(["a:01ARZ3NDEKTSV4RRFFQ69G5FA4", "a:01ARZ3NDEKTSV4RRFFQ69G5FA3"])
      expect(yield* sql`SELECT count(*)::int AS n FROM change_log WHERE key IN ('a:01ARZ3NDEKTSV4RRFFQ69G5FA3', 'a:01ARZ3NDEKTSV4RRFFQ69G5FA4')`).toEqual([{ n: 2 }])
    }))

  it.scoped("hears a change committed with no tick within a second, and announces its own with one", () =>
    Effect.gen(function*() {
      const { feed, heard, sql } = yield* trustedFeed
      yield* sql`INSERT INTO applications (id, name) VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FA5', 'no tick')`
      expect(yield* waitFor(() => heard.includes("a:01ARZ3NDEKTSV4RRFFQ69G5FA5"), 1_000)).toBe(true)
      const ticks: Array<string> = []
      const url = yield* thisDatabase
      const listening = new pg.Client({ connectionString: url })
      yield* Effect.acquireRelease(Effect.promise(() => listening.connect()), () => Effect.promise(() => listening.end()))
      listening.on("notification", (message) => ticks.push(`${message.channel} ${message.payload}`))
      yield* Effect.promise(() => listening.query(`LISTEN ${changesChannel}`))
      const hints: Array<string> = []
      yield* feed.subscribe({ change: () => {}, reset: () => {}, hint: (key) => hints.push(key) })
      // Sent once announced: a listener has it before the writer answers its client.
      yield* Effect.promise(() => feed.announce(["c:01ARZ3NDEKTSV4RRFFQ69G5FC9", "a:01ARZ3NDEKTSV4RRFFQ69G5FA9"]))
      expect(yield* waitFor(() => ticks.length > 0)).toBe(true)
      expect(ticks).toEqual([`${changesChannel} c:01ARZ3NDEKTSV4RRFFQ69G5FC9 a:01ARZ3NDEKTSV4RRFFQ69G5FA9`])
      expect(yield* waitFor(() => hints.length >= 2)).toBe(true)
      expect(hints).toEqual(["c:01ARZ3NDEKTSV4RRFFQ69G5FC9", "a:01ARZ3NDEKTSV4RRFFQ69G5FA9"])
      // A tick is only a hint: the log has no such change, so no listener's `change` hears it.
      expect(heard.filter((key) => key.endsWith("FC9") || key.endsWith("FA9"))).toEqual([])
    }))
})

describe("ticksOf", () => {
  it("puts keys into payloads of at most 7,000 characters, in order, none split", () => {
    expect(ticksOf([])).toEqual([])
    expect(ticksOf(["c:1", "a:2"])).toEqual(["c:1 a:2"])
    const keys = Array.from({ length: 500 }, (_, i) => `c:${String(i).padStart(26, "0")}`)
    const ticks = ticksOf(keys)
    expect(ticks.length).toBeGreaterThan(1)
    for (const tick of ticks) expect(tick.length).toBeLessThanOrEqual(7_000)
    expect(ticks.flatMap((tick) => tick.split(" "))).toEqual(keys)
  })
})
