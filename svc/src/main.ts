import { NodeRuntime } from "@effect/platform-node"
import { runServer } from "./Server.js"

runServer.pipe(NodeRuntime.runMain({ disableErrorReporting: true }))
