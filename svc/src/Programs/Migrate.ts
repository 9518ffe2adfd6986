import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { DatabaseLive } from "./Database.js"
import { LoggerLive } from "./Logging.js"
import { formatStatus, MigrationError, Migrator } from "../Migrations/Migrator.js"
import { ConfigLive, Settings } from "../Settings.js"
import { reportFailure } from "./Startup.js"

const usage = "usage: npm run migrate -- <up|status|verify>"

/** The operator's migrate program: `up` applies pending migrations, `status` prints the table, `verify` checks. */
export const runCommand = (command: string | undefined) =>
  Effect.gen(function*() {
    const migrator = yield* Migrator
    switch (command) {
      case "up": {
        const applied = yield* migrator.up
        yield* Console.log(applied.length === 0 ? "up to date: nothing to apply" : `applied ${applied.join(", ")}`)
        return
      }
      case "status":
        yield* Console.log(formatStatus(yield* migrator.status))
        return
      case "verify": {
        const problems = yield* migrator.verify
        if (problems.length > 0) {
          return yield* new MigrationError({ message: `verify failed:\n  ${problems.join("\n  ")}` })
        }
        yield* Console.log(`ok: ${migrator.files.length} migration files match the ledger`)
        return
      }
      default:
        return yield* new MigrationError({ message: usage })
    }
  })

export const MigrateProgram = (command: string | undefined) =>
  runCommand(command).pipe(
    Effect.provide(Migrator.Default),
    Effect.provide(DatabaseLive),
    Effect.provide(LoggerLive),
    Effect.provide(Settings.Live),
    reportFailure,
    Effect.provide(ConfigLive)
  )

