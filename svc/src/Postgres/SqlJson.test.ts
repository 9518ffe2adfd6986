import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Schema } from "effect"
import { Configuration } from "../Domain/Configuration.js"
import { layerEmptyDatabase } from "../Testing/TestDatabase.js"
import { isoTimestamp, typedAs } from "./SqlJson.js"

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

  it.effect("typedAs turns rendered JSON into domain values, and what does not fit is a defect", () =>
    Effect.gen(function*() {
      const typed = typedAs(Configuration)
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
      const value = yield* typed.one(Effect.succeed({ json }))
      expect(value).toBeInstanceOf(Configuration)
      expect(Schema.encodeSync(Configuration)(value)).toEqual(JSON.parse(json))
      expect(yield* typed.all(Effect.succeed([{ json }, { json }]))).toHaveLength(2)
      const broken = yield* Effect.exit(typed.one(Effect.succeed({ json: `{"id":"x"}` })))
      expect(Exit.isFailure(broken) && Cause.isDie(broken.cause)).toBe(true)
    }))
})
