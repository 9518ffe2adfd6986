import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { runServer } from "./Server.js"

runServer.pipe(NodeRuntime.runMain({ disableErrorReporting: true }))
