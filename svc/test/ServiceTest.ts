import { NodeHttpServer } from "@effect/platform-node"
import { ConfigProvider, Layer } from "effect"
import { HttpAppLive } from "../src/Http.js"
import { Settings } from "../src/Settings.js"
import { layerTestDatabase } from "../src/TestDatabase.js"

/** Settings from the given values only (defaults for the rest), never from the machine's environment. */
export const settingsFrom = (values: Record<string, string> = {}) =>
  Settings.Live.pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromJson(values))))

/** The real HTTP service on a test server, over a fresh migrated database; the client comes from `makeClient()`. */
export const ServiceTest = (values: Record<string, string> = {}) =>
  HttpAppLive.pipe(
    Layer.provideMerge(NodeHttpServer.layerTest),
    Layer.provideMerge(layerTestDatabase),
    Layer.provideMerge(settingsFrom(values))
  )
