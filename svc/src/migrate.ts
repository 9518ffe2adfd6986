import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { MigrateProgram } from "./Migrations/Cli.js"

MigrateProgram(process.argv[2]).pipe(NodeRuntime.runMain({ disableErrorReporting: true }))
