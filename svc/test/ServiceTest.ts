import { HttpServer } from "@effect/platform"
import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import { ConfigProvider, Effect, Layer } from "effect"
import { NodeServer } from "../src/Edge/NodeServer.js"
import { ServiceLive } from "../src/Server.js"
import { Settings } from "../src/Settings.js"
import { layerTestDatabase } from "../src/TestDatabase.js"

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
 */
export const ServiceTest = (values: Record<string, string> = {}) =>
  ServiceLive.pipe(
    Layer.provideMerge(layerTestServer),
    Layer.provideMerge(layerTestDatabase),
    Layer.provideMerge(settingsFrom(values))
  )
