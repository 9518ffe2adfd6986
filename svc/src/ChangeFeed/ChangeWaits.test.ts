import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Layer, Option, Scope } from "effect"
import { TooManyWatchers } from "../Domain/Errors.js"
import { layerTestDatabase } from "../Testing/TestDatabase.js"
import { Shutdown } from "../Domain/Shutdown.js"
import { manualFeed as manualFeedOf } from "../../test/ManualFeed.js"
import { manualShutdown } from "../../test/Shutdown.js"
import { ChangeFeed } from "./ChangeFeed.js"
import { ChangeWaits, layerChangeWaits, makeChangeWaits, wakeKey } from "./ChangeWaits.js"

const sleep = (ms: number) => Effect.promise(() => new Promise((resolve) => setTimeout(resolve, ms)))

/** Whether `fiber` finished within `ms` (real time). */
const doneWithin = <A, E>(fiber: Fiber.RuntimeFiber<A, E>, ms: number) =>
  Effect.gen(function*() {
    for (let waited = 0; waited < ms; waited += 10) {
      if (Option.isSome(yield* Fiber.poll(fiber))) return true
      yield* sleep(10)
    }
    return Option.isSome(yield* Fiber.poll(fiber))
  })

it.layer(layerChangeWaits(3).pipe(Layer.provideMerge(layerTestDatabase)))("ChangeWaits", (it) => {
  it.scoped("a committed change wakes the waiters of its key, and only them; one made before a change sees it at once", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const feed = yield* ChangeFeed
      for (let i = 0; i < 250 && !feed.trusted(); i++) yield* sleep(20)
      const waits = yield* ChangeWaits
      yield* sql`INSERT INTO applications (id, name) VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FA1', 'waits')`
      const app = yield* waits.waiter(["a:01ARZ3NDEKTSV4RRFFQ69G5FA1"])
      const other = yield* waits.waiter(["a:01ARZ3NDEKTSV4RRFFQ69G5FA9"])
      const woken = yield* Effect.fork(app.changed)
      const untouched = yield* Effect.fork(other.changed)
      yield* sql`UPDATE applications SET name = 'waits 2' WHERE id = '01ARZ3NDEKTSV4RRFFQ69G5FA1'`
      expect(yield* doneWithin(woken, 5_000)).toBe(true)
      expect(yield* doneWithin(untouched, 300)).toBe(false)
      yield* Fiber.interrupt(untouched)

      // A change between making the waiter and waiting on it is not missed.
      yield* sql`UPDATE applications SET name = 'waits 3' WHERE id = '01ARZ3NDEKTSV4RRFFQ69G5FA1'`
      yield* sleep(300)
      expect(yield* doneWithin(yield* Effect.fork(app.changed), 1_000)).toBe(true)
      expect(waits.open()).toBe(2)
    }))

  it.scoped("at most WATCH_MAX_STREAMS waiters are open; a closed one makes room", () =>
    Effect.gen(function*() {
      const waits = yield* ChangeWaits
      const scope = yield* Scope.make()
      for (const key of ["a", "b", "c"]) yield* waits.waiter([key]).pipe(Scope.extend(scope))
      expect(yield* Effect.flip(waits.waiter(["d"]))).toBeInstanceOf(TooManyWatchers)
      yield* Scope.close(scope, Exit.void)
      expect(waits.open()).toBe(0)
      yield* waits.waiter(["d"])
    }))

  it("a revision wakes its application's key", () => {
    expect(wakeKey("r:01ARZ3NDEKTSV4RRFFQ69G5FA1:42")).toBe("r:01ARZ3NDEKTSV4RRFFQ69G5FA1")
    expect(wakeKey("c:01ARZ3NDEKTSV4RRFFQ69G5FA1")).toBe("c:01ARZ3NDEKTSV4RRFFQ69G5FA1")
  })
})

/** A change feed the test drives by hand, as a layer. */
const manualFeed = () => {
  const manual = manualFeedOf()
  return { ...manual, layer: Layer.succeed(ChangeFeed, manual.feed) }
}

describe("ChangeWaits.hold", () => {
  it.scopedLive("answers a read that is done at once; else reads again on each change until one is, holding one waiter", () =>
    Effect.gen(function*() {
      const feed = manualFeed()
      const waits = yield* makeChangeWaits(10).pipe(Effect.provide(feed.layer), Effect.provideService(Shutdown, manualShutdown().shutdown))
      let reads = 0
      const read = Effect.sync(() => ++reads)
      expect(yield* waits.hold(["r:x"], 30, read, () => true)).toBe(1)
      const held = yield* Effect.fork(waits.hold(["r:x"], 30, read, (n) => n >= 4))
      yield* sleep(100)
      expect(waits.open()).toBe(1)
      feed.change("r:y:1")
      feed.change("r:x:1")
      yield* sleep(100)
      feed.change("r:x:2")
      expect(yield* Fiber.join(held)).toBe(4)
      expect(waits.open()).toBe(0)
    }))

  it.scopedLive("when the time is up, answers what it read last", () =>
    Effect.gen(function*() {
      const waits = yield* makeChangeWaits(10).pipe(Effect.provide(manualFeed().layer))
      let reads = 0
      const started = Date.now()
      expect(yield* waits.hold(["r:x"], 1, Effect.sync(() => ++reads), () => false)).toBe(2)
      expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    }))

  it.scopedLive("once the server drains, a held read is answered at once", () =>
    Effect.gen(function*() {
      const server = manualShutdown()
      const waits = yield* makeChangeWaits(10).pipe(Effect.provide(manualFeed().layer), Effect.provideService(Shutdown, server.shutdown))
      const held = yield* Effect.fork(waits.hold(["r:x"], 60, Effect.succeed("current"), () => false))
      yield* sleep(100)
      server.drain()
      expect(yield* Fiber.join(held).pipe(Effect.timeout("5 seconds"))).toBe("current")
    }))
})
