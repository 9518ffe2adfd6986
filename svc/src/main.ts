import { NodeRuntime } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { ServerLive } from "./Server.js"
import { ConfigLive } from "./Settings.js"
import { reportFailure } from "./Startup.js"

ServerLive.pipe(
  Layer.launch,
  reportFailure,
  Effect.provide(ConfigLive),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
