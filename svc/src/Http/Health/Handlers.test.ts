import { HttpClient } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { NodeHttpServer } from "@effect/platform-node"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { ServiceTest, settingsFrom } from "../../../test/ServiceTest.js"
import { HttpAppLive } from "../App.js"
import { ChangeFeed } from "../../ChangeFeed/ChangeFeed.js"
import { layerPgClient } from "../../ChangeFeed/Database.js"
import { MigrateUp, Migrator } from "../../Migrations/Migrator.js"
import { freshDatabase, layerEmptyDatabase } from "../../Testing/TestDatabase.js"

/** Waits (real time) until the change feed trusts itself, as it does within a second of starting. */
const feedTrusted = Effect.gen(function*() {
  const feed = yield* ChangeFeed
  for (let attempt = 0; attempt < 250 && !feed.trusted(); attempt++) {
    yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 20)))
  }
})

const get = (url: string) =>
  Effect.gen(function*() {
    const response = yield* (yield* HttpClient.HttpClient).get(url)
    return { status: response.status, body: yield* response.json }
  })

it.layer(ServiceTest())("health on a migrated database", (it) => {
  it.effect("live and ready are 200", () =>
    Effect.gen(function*() {
      yield* feedTrusted
      expect(yield* get("/health/live")).toEqual({ status: 200, body: { status: "ok" } })
      expect(yield* get("/health/ready")).toEqual({
        status: 200,
        body: { status: "ok", checks: { database: "reachable", schema: "current", change_feed: "ok" } }
      })
    }))
})

const Unmigrated = HttpAppLive.pipe(
  Layer.provideMerge(NodeHttpServer.layerTest),
  Layer.provide(Migrator.Default),
  Layer.provideMerge(layerEmptyDatabase),
  Layer.provide(settingsFrom())
)

it.layer(Unmigrated)("health on a database whose schema is behind", (it) => {
  it.effect("ready is 503 naming the schema (and the change log it lacks), live is 200", () =>
    Effect.gen(function*() {
      let ready = yield* get("/health/ready")
      for (let i = 0; i < 100 && (ready.body as any).checks.change_feed.includes("not been read yet"); i++) {
        yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
        ready = yield* get("/health/ready")
      }
      expect(ready).toEqual({
        status: 503,
        body: {
          _tag: "NotReady",
          message: "not ready to serve",
          checks: {
            database: "reachable",
            schema: "behind",
            change_feed: "the change log cannot be read: relation \"change_log\" does not exist"
          }
        }
      })
      expect((yield* get("/health/live")).status).toBe(200)
    }))
})

/** The pool on a fresh migrated database, its change feed listening for ticks on another database: none comes. */
const ListeningElsewhere = HttpAppLive.pipe(
  Layer.provideMerge(NodeHttpServer.layerTest),
  Layer.provide(MigrateUp),
  Layer.provideMerge(Migrator.Default),
  Layer.provideMerge(Layer.unwrapScoped(Effect.gen(function*() {
    const [url, elsewhere] = [yield* freshDatabase, yield* freshDatabase]
    return layerPgClient({ url, listenUrl: elsewhere, poolSize: 3, connectTimeout: "5 seconds", statementTimeout: "30 seconds" })
  }))),
  Layer.provide(settingsFrom())
)

it.layer(ListeningElsewhere)("health when no tick arrives, then when the change log cannot be read", (it) => {
  it.effect("ready is 200 either way; the feed is trusted while it reads the log, and says why not when it cannot", () =>
    Effect.gen(function*() {
      yield* feedTrusted
      expect((yield* ChangeFeed).trusted()).toBe(true)
      expect((yield* get("/health/ready")).body).toEqual({
        status: "ok",
        checks: { database: "reachable", schema: "current", change_feed: "ok" }
      })
      yield* (yield* SqlClient.SqlClient)`ALTER TABLE change_log RENAME TO change_log_away`
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 1_000)))
      expect((yield* ChangeFeed).trusted()).toBe(false)
      const ready = yield* get("/health/ready")
      expect(ready.status).toBe(200)
      expect(ready.body).toEqual({
        status: "ok",
        checks: {
          database: "reachable",
          schema: "current",
          change_feed: expect.stringContaining("the change log cannot be read: relation \"change_log\" does not exist")
        }
      })
    }))
})
