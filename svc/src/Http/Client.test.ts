import { FetchHttpClient, HttpApiBuilder } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { createServer } from "node:http"
import { settingsFrom } from "../../test/ServiceTest.js"
import { makeClient } from "./Client.js"
import { ApiHandlersLive } from "./App.js"
import { layerTestDatabase } from "../Testing/TestDatabase.js"

const port = 20_000 + Math.floor(Math.random() * 20_000)

const RealServer = HttpApiBuilder.serve().pipe(
  Layer.provide(ApiHandlersLive),
  Layer.provide(NodeHttpServer.layer(createServer, { port, host: "127.0.0.1" })),
  Layer.provide(layerTestDatabase),
  Layer.provide(settingsFrom())
)

it.layer(Layer.merge(RealServer, FetchHttpClient.layer))("makeClient", (it) => {
  it.effect("talks to a running service at baseUrl over real HTTP", () =>
    Effect.gen(function*() {
      const client = yield* makeClient({ baseUrl: `http://127.0.0.1:${port}` })
      const app = yield* client.applications.create({ payload: { name: "over-the-wire" } })
      expect(yield* client.applications.get({ path: { id: app.id }, urlParams: {} })).toEqual(app)
      const missing = yield* Effect.flip(client.configurations.get({ path: { id: app.id as never }, urlParams: {} }))
      expect(missing._tag).toBe("ConfigurationNotFound")
    }))
})
