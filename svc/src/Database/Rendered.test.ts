import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Schema } from "effect"
import { Configuration } from "../Domain/Configuration.js"
import { layerEmptyDatabase } from "../TestDatabase.js"
import { decodeRendered, isoTimestamp } from "./Rendered.js"

describe("Rendered", () => {
  it.layer(layerEmptyDatabase)((it) => {
    it.effect("isoTimestamp renders timestamptz as JavaScript's toISOString does, whatever the session time zone", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* sql`SET TIME ZONE 'America/Los_Angeles'`
        const [row] = yield* sql<{ iso: string }>`SELECT ${sql.literal(isoTimestamp("'2026-01-02 03:04:05.678912+02'::timestamptz"))} AS iso`
        expect(row!.iso).toBe("2026-01-02T01:04:05.678Z")
        expect(new Date(row!.iso).toISOString()).toBe(row!.iso)
        yield* sql`SET TIME ZONE 'UTC'`
      }))
  })

  it.effect("decodeRendered turns rendered JSON into the domain value, and refuses what does not fit", () =>
    Effect.gen(function*() {
      const decode = decodeRendered(Configuration)
      const json = JSON.stringify({
        id: "01ARZ3NDEKTSV4RRFFQ69G5FAV",
        application_id: "01ARZ3NDEKTSV4RRFFQ69G5FAW",
        name: "n",
        comments: null,
        config: { a: [1] },
        created_at: "2026-01-02T01:04:05.678Z",
        updated_at: "2026-01-02T01:04:05.678Z",
        version: 1
      })
      const value = yield* decode({ id: "01ARZ3NDEKTSV4RRFFQ69G5FAV", version: 1, json })
      expect(value).toBeInstanceOf(Configuration)
      expect(Schema.encodeSync(Configuration)(value)).toEqual(JSON.parse(json))
      const broken = yield* Effect.exit(decode({ id: "x", version: 1, json: `{"id":"x"}` }))
      expect(Exit.isFailure(broken)).toBe(true)
    }))
})
