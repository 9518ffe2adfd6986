import { HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Deferred, Effect, Fiber, Layer } from "effect"
import { settingsFrom } from "../../test/ServiceTest.js"
import { HttpAppLive } from "../Http/App.js"
import { MigrateUp, Migrator } from "../Migrations/Migrator.js"
import { freshDatabase } from "../Testing/TestDatabase.js"
import { ChangeFeed } from "./ChangeFeed.js"
import { manualFeed as manualFeedOf } from "../../test/ManualFeed.js"
import { layerPgClient } from "./Database.js"
import { maxChars, maxEntries, ReadCache, weightOf } from "./ReadCache.js"

/** A feed the test drives by hand, to pin down the cache's rules; the real one is tested end to end below. */
const manualFeed = () => {
  const { change, feed, reset, state } = manualFeedOf()
  return { state, layer: ReadCache.Default.pipe(Layer.provide(Layer.succeed(ChangeFeed, feed))), change, reset }
}

const counter = () => {
  let loads = 0
  return { load: (value: string) => Effect.sync(() => (loads++, value)), loads: () => loads }
}

describe("ReadCache rules", () => {
  it.scoped("shares a load outside Effect among those who ask while it runs, until a change to its key", () =>
    Effect.gen(function*() {
      const feed = manualFeed()
      const cache = Context.get(yield* Layer.build(feed.layer), ReadCache)
      const started: Array<(value: unknown) => void> = []
      const load = () => new Promise<unknown>((resolve) => started.push(resolve))
      const first = cache.shared("c:1", load)
      const joined = cache.shared("c:1", load)
      expect(joined).toBe(first)
      expect(started).toHaveLength(1)
      feed.change("c:1")
      const afterChange = cache.shared("c:1", load)
      expect(afterChange).not.toBe(first)
      expect(started).toHaveLength(2)
      started[0]!("old")
      started[1]!("new")
      expect(yield* Effect.promise(() => Promise.all([first, joined, afterChange]))).toEqual(["old", "old", "new"])
      // The load the change raced is not kept; the one after it is.
      expect(cache.peek("c:1")).toBe("new")
      const missing = cache.shared("c:9", () => Promise.resolve(undefined))
      expect(yield* Effect.promise(() => missing)).toBeUndefined()
      expect(cache.peek("c:9")).toBeUndefined()
      const again = cache.shared("c:9", () => Promise.resolve("there"))
      expect(again).not.toBe(missing)
      expect(yield* Effect.promise(() => again)).toBe("there")
    }))

  it.scoped("keeps what it loaded until a change to that key", () =>
    Effect.gen(function*() {
      const feed = manualFeed()
      const cache = Context.get(yield* Layer.build(feed.layer), ReadCache)
      const { load, loads } = counter()
      expect(yield* cache.through("c:1", load("v1"))).toBe("v1")
      expect(yield* cache.through("c:1", load("v2"))).toBe("v1")
      expect(loads()).toBe(1)
      feed.change("c:2")
      expect(yield* cache.through("c:1", load("v2"))).toBe("v1")
      feed.change("c:1")
      expect(yield* cache.through("c:1", load("v3"))).toBe("v3")
      yield* cache.changed("c:1")
      expect(yield* cache.through("c:1", load("v4"))).toBe("v4")
    }))

  it.scoped("an application's revision announcement drops nothing: the c: and a: ones that come with it do", () =>
    Effect.gen(function*() {
      const feed = manualFeed()
      const cache = Context.get(yield* Layer.build(feed.layer), ReadCache)
      const { load, loads } = counter()
      yield* cache.through("a:1", load("application"))
      yield* cache.through("list::", load("all"), { droppedBy: "a:" })
      feed.change("r:1:7")
      expect(yield* cache.through("a:1", load("again"))).toBe("application")
      expect(yield* cache.through("list::", load("again"), { droppedBy: "a:" })).toBe("all")
      expect(loads()).toBe(2)
    }))

  it.scoped("an application change drops every list; a reset or * drops everything", () =>
    Effect.gen(function*() {
      const feed = manualFeed()
      const cache = Context.get(yield* Layer.build(feed.layer), ReadCache)
      const { load } = counter()
      yield* cache.through("list::", load("all"), { droppedBy: "a:" })
      yield* cache.through("list::10", load("page"), { droppedBy: "a:" })
      yield* cache.through("c:1", load("config"))
      feed.change("a:9")
      expect(yield* cache.through("list::", load("all 2"), { droppedBy: "a:" })).toBe("all 2")
      expect(yield* cache.through("list::10", load("page 2"), { droppedBy: "a:" })).toBe("page 2")
      expect(yield* cache.through("c:1", load("config 2"))).toBe("config")
      feed.change("*")
      expect(yield* cache.through("c:1", load("config 3"))).toBe("config 3")
      feed.reset()
      expect(yield* cache.through("c:1", load("config 4"))).toBe("config 4")
    }))

  it.scoped("a read that raced a change to its key is returned but not kept", () =>
    Effect.gen(function*() {
      const feed = manualFeed()
      const cache = Context.get(yield* Layer.build(feed.layer), ReadCache)
      const gate = yield* Deferred.make<void>()
      const slow = Effect.zipRight(Deferred.await(gate), Effect.succeed("stale"))
      const reader = yield* Effect.fork(cache.through("c:1", slow))
      yield* Effect.yieldNow()
      feed.change("c:1")
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Fiber.join(reader)).toBe("stale")
      expect(yield* cache.through("c:1", Effect.succeed("fresh"))).toBe("fresh")
    }))

  it.scoped("a read kept with droppedBy that raced a change to any key of that prefix is not kept", () =>
    Effect.gen(function*() {
      const feed = manualFeed()
      const cache = Context.get(yield* Layer.build(feed.layer), ReadCache)
      const gate = yield* Deferred.make<void>()
      const slow = Effect.zipRight(Deferred.await(gate), Effect.succeed("stale list"))
      const reader = yield* Effect.fork(cache.through("list::", slow, { droppedBy: "a:" }))
      yield* Effect.yieldNow()
      feed.change("a:7")
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Fiber.join(reader)).toBe("stale list")
      expect(yield* cache.through("list::", Effect.succeed("fresh list"), { droppedBy: "a:" })).toBe("fresh list")
    }))

  it.scoped("nothing is kept while the feed is down, and failures are never kept", () =>
    Effect.gen(function*() {
      const feed = manualFeed()
      const cache = Context.get(yield* Layer.build(feed.layer), ReadCache)
      feed.state.connected = false
      yield* cache.through("c:1", Effect.succeed("while down"))
      feed.state.connected = true
      expect(yield* cache.through("c:1", Effect.succeed("up"))).toBe("up")
      expect(yield* Effect.flip(cache.through("c:2", Effect.fail("missing")))).toBe("missing")
      expect(yield* cache.through("c:2", Effect.succeed("found"))).toBe("found")
    }))

  it.scoped(`holds at most ${maxEntries} entries, dropping the oldest`, () =>
    Effect.gen(function*() {
      const feed = manualFeed()
      const cache = Context.get(yield* Layer.build(feed.layer), ReadCache)
      for (let i = 0; i <= maxEntries; i++) yield* cache.through(`c:${i}`, Effect.succeed(i))
      expect(yield* cache.through("c:0", Effect.succeed(-1))).toBe(-1)
      expect(yield* cache.through(`c:${maxEntries}`, Effect.succeed(-1))).toBe(maxEntries)
    }))

  it.scoped(`holds at most ${maxChars} characters of rendered JSON, dropping the oldest; a value over an eighth is not kept`, () =>
    Effect.gen(function*() {
      const feed = manualFeed()
      const cache = Context.get(yield* Layer.build(feed.layer), ReadCache)
      const rendered = (i: number) => ({ id: `${i}`, etag: `"1"`, json: "x".repeat(maxChars / 16) })
      for (let i = 0; i < 20; i++) yield* cache.through(`c:${i}`, Effect.succeed(rendered(i)))
      expect((yield* cache.through("c:0", Effect.succeed(rendered(-1)))).id).toBe("-1")
      expect((yield* cache.through("c:19", Effect.succeed(rendered(-1)))).id).toBe("19")
      const page = Array.from({ length: 10 }, (_, i) => ({ ...rendered(i), json: "y".repeat(maxChars / 64) }))
      yield* cache.through("l:big", Effect.succeed(page))
      expect(yield* cache.through("l:big", Effect.succeed([]))).toEqual([])
      expect(weightOf(page)).toBeGreaterThan(maxChars / 8)
      expect(weightOf({ schema_version: 1, schema: rendered(1) })).toBeGreaterThan(maxChars / 16)
    }))
})

/** One service instance (its own pool, change feed and cache) on `url`, reached through its own test server. */
const instance = (url: Parameters<typeof layerPgClient>[0]["url"]) =>
  Effect.map(
    Layer.build(
      HttpAppLive.pipe(
        Layer.provideMerge(NodeHttpServer.layerTest),
        Layer.provide(MigrateUp.pipe(Layer.provideMerge(Migrator.Default))),
        Layer.provide(layerPgClient({ url, poolSize: 4, connectTimeout: "2 seconds", statementTimeout: "5 seconds" })),
        Layer.provide(settingsFrom())
      )
    ),
    (context) => Context.get(context, HttpClient.HttpClient)
  )

const json = (client: HttpClient.HttpClient, request: HttpClientRequest.HttpClientRequest) =>
  Effect.flatMap(client.execute(request), (response) => response.json) as Effect.Effect<any, unknown>

/** Polls `read` until `done` holds of what it returns, for at most `seconds`; the last value and how long it took. */
const until = <A, E>(read: Effect.Effect<A, E>, done: (value: A) => boolean, seconds: number) =>
  Effect.gen(function*() {
    const started = Date.now()
    let value = yield* read
    while (!done(value) && Date.now() - started < seconds * 1000) {
      yield* Effect.sleep("5 millis")
      value = yield* read
    }
    return { value, ms: Date.now() - started }
  })

it.scopedLive("two instances on one database: a write on one is read on the other (make bench measures how soon)", () =>
  Effect.gen(function*() {
    const url = yield* freshDatabase
    const one = yield* instance(url)
    const two = yield* instance(url)
    const app = yield* json(one, HttpClientRequest.post("/api/v1/applications").pipe(HttpClientRequest.bodyUnsafeJson({ name: "shared" })))
    const created = yield* json(
      one,
      HttpClientRequest.post("/api/v1/configurations").pipe(
        HttpClientRequest.bodyUnsafeJson({ application_id: app.id, name: "c", config: { v: 1 } })
      )
    )
    const read = (client: HttpClient.HttpClient) => json(client, HttpClientRequest.get(`/api/v1/configurations/${created.id}`))
    expect((yield* read(two)).config).toEqual({ v: 1 })
    expect((yield* read(two)).config).toEqual({ v: 1 })
    yield* Effect.sleep("300 millis")
    const lags: Array<number> = []
    for (let round = 2; round <= 6; round++) {
      yield* json(
        one,
        HttpClientRequest.put(`/api/v1/configurations/${created.id}`).pipe(
          HttpClientRequest.bodyUnsafeJson({ name: "c", config: { v: round } })
        )
      )
      const seen = yield* until(read(two), (configuration) => configuration.config.v === round, 5)
      lags.push(seen.ms)
      expect(seen.value.config.v).toBe(round)
    }
    console.log(`a write on one instance read on the other after ${lags.join(", ")} ms`)
    const renamed = yield* json(
      two,
      HttpClientRequest.put(`/api/v1/applications/${app.id}`).pipe(HttpClientRequest.bodyUnsafeJson({ name: "renamed" }))
    )
    expect(renamed.name).toBe("renamed")
    const listed = yield* until(json(one, HttpClientRequest.get("/api/v1/applications")), (apps) => apps[0].name === "renamed", 5)
    expect(listed.value[0].name).toBe("renamed")
  }), { timeout: 30_000 })
