import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import { Api } from "../Api.js"
import { ChangeFeed } from "../../ChangeFeed/ChangeFeed.js"
import { Migrator } from "../../Migrations/Migrator.js"
import { Health, NotReady } from "./Api.js"

export const HealthHttpLive = HttpApiBuilder.group(Api, "health", (handlers) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const migrator = yield* Migrator
    const feed = yield* ChangeFeed
    const ready = Effect.gen(function*() {
      const database = yield* sql`SELECT 1`.pipe(
        Effect.timeout("2 seconds"),
        Effect.as("reachable"),
        Effect.orElseSucceed(() => "unreachable")
      )
      const schema = database === "reachable"
        ? yield* migrator.isCurrent.pipe(
          Effect.timeout("2 seconds"),
          Effect.map((current) => current ? "current" : "behind"),
          Effect.orElseSucceed(() => "unknown")
        )
        : "unknown"
      // An untrusted change feed only turns the read cache off: the service still answers correctly.
      const checks = { database, schema, change_feed: feed.health() }
      return database === "reachable" && schema === "current"
        ? new Health({ status: "ok", checks })
        : yield* new NotReady({ message: "not ready to serve", checks })
    })
    return handlers
      .handle("live", () => Effect.succeed(new Health({ status: "ok" })))
      .handle("ready", () => ready)
  }))
