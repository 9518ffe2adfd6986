import { NodeRuntime } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { ConfigLive, ServerLive } from "./Server.js"
import { reportFailure } from "./Startup.js"

ServerLive.pipe(
  Layer.launch,
  reportFailure,
  Effect.provide(ConfigLive),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
