import { NodeRuntime } from "@effect/platform-node"
import { MigrateProgram } from "./Migrations/Cli.js"

MigrateProgram(process.argv[2]).pipe(NodeRuntime.runMain({ disableErrorReporting: true }))
