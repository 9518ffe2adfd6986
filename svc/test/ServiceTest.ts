import { HttpServer } from "@effect/platform"
import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import { ConfigProvider, Effect, Layer } from "effect"
import { NodeServer } from "../src/Http/Edge/NodeServer.js"
import { AppWithFastPathLive } from "../src/Programs/Server.js"
import { Settings } from "../src/Settings.js"
import { layerTestDatabase } from "../src/Testing/TestDatabase.js"

/** Settings from the given values only (defaults for the rest), never from the machine's environment. */
export const settingsFrom = (values: Record<string, string> = {}) =>
  Settings.Live.pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromJson(values))))

/** The service's own Node.js server on a free port, with an `HttpClient` that talks to it (as `NodeHttpServer.layerTest`). */
export const layerTestServer = HttpServer.layerTestClient.pipe(
  Layer.provide(NodeHttpClient.layerWithoutAgent),
  Layer.provide(NodeHttpClient.makeAgentLayer({ keepAlive: false })),
  Layer.provideMerge(
    Layer.unwrapEffect(Effect.map(NodeServer, (server) => NodeHttpServer.layer(() => server, { port: 0 })))
  ),
  Layer.provideMerge(NodeServer.Live)
)

/**
 * The real HTTP service — API and cached reads answered by the server itself — on a test
 * server, over a fresh migrated database; the client comes from `makeClient()`.
 *
 * Its request deadline is 20 s rather than 1.5 s: concurrent writes queue on row locks, and on a
 * busy machine the queue can pass 1.5 s, a 503 no test of this layer is about. The deadline has
 * tests of its own, which set it.
 */
export const ServiceTest = (values: Record<string, string> = {}) =>
  AppWithFastPathLive.pipe(
    Layer.provideMerge(layerTestServer),
    Layer.provideMerge(layerTestDatabase),
    Layer.provideMerge(settingsFrom({ DATABASE_REQUEST_TIMEOUT: "20 seconds", ...values }))
  )
