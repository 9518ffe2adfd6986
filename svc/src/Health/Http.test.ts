import { HttpClient } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { ServiceTest, settingsFrom } from "../../test/ServiceTest.js"
import { HttpAppLive } from "../Http.js"
import { Migrator } from "../Migrations/Migrator.js"
import { layerEmptyDatabase } from "../TestDatabase.js"

const get = (url: string) =>
  Effect.gen(function*() {
    const response = yield* (yield* HttpClient.HttpClient).get(url)
    return { status: response.status, body: yield* response.json }
  })

it.layer(ServiceTest())("health on a migrated database", (it) => {
  it.effect("live and ready are 200", () =>
    Effect.gen(function*() {
      expect(yield* get("/health/live")).toEqual({ status: 200, body: { status: "ok" } })
      expect(yield* get("/health/ready")).toEqual({
        status: 200,
        body: { status: "ok", checks: { database: "reachable", schema: "current" } }
      })
    }))
})

const Unmigrated = HttpAppLive.pipe(
  Layer.provideMerge(NodeHttpServer.layerTest),
  Layer.provide(Migrator.Default),
  Layer.provide(layerEmptyDatabase),
  Layer.provide(settingsFrom())
)

it.layer(Unmigrated)("health on a database whose schema is behind", (it) => {
  it.effect("ready is 503 naming the schema, live is 200", () =>
    Effect.gen(function*() {
      expect(yield* get("/health/ready")).toEqual({
        status: 503,
        body: { _tag: "NotReady", message: "not ready to serve", checks: { database: "reachable", schema: "behind" } }
      })
      expect((yield* get("/health/live")).status).toBe(200)
    }))
})
