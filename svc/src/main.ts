import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { runServer } from "./Programs/Server.js"

runServer.pipe(NodeRuntime.runMain({ disableErrorReporting: true }))
