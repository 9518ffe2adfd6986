import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { MigrateProgram } from "./Programs/Migrate.js"

MigrateProgram(process.argv[2]).pipe(NodeRuntime.runMain({ disableErrorReporting: true }))
