import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { waitFor } from "../../test/History.js"
import { freshDatabase } from "../Testing/TestDatabase.js"
import { MigrateUp, Migrator } from "../Migrations/Migrator.js"
import { ChangeFeed } from "./ChangeFeed.js"
import { layerPgClient } from "./Database.js"

const Database = MigrateUp.pipe(
  Layer.provideMerge(Migrator.Default),
  Layer.provideMerge(Layer.unwrapScoped(
    Effect.map(freshDatabase, (url) => layerPgClient({ url, poolSize: 2, connectTimeout: "5 seconds", statementTimeout: "5 seconds" }))
  ))
)

it.layer(Database)("layerPgClient", (it) => {
  it.effect("gives the pool's SqlClient and a change feed that reads the change log of the same database", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      expect(yield* sql<{ one: number }>`SELECT 1 AS one`).toEqual([{ one: 1 }])
      const feed = yield* ChangeFeed
      expect(yield* waitFor(() => feed.trusted(), 20_000)).toBe(true)
    }), { timeout: 30_000 })
})
