import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Schema } from "effect"
import { Configuration } from "../Domain/Configuration.js"
import { layerEmptyDatabase } from "../Testing/TestDatabase.js"
import { isoTimestamp, selectList, typedAs } from "./SqlJson.js"

const Shape = Schema.Struct({ b: Schema.String, "Odd \"key\"": Schema.NullOr(Schema.Number) })

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

    it.effect("selectList renders each field under its Schema's name, in the Schema's order", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const fields = selectList(Shape, { "Odd \"key\"": "x.n * 2", b: "upper(x.b)" })
        const [row] = yield* sql<{ json: string }>`
          SELECT row_to_json(t)::text AS json FROM (SELECT ${sql.literal(fields)} FROM (VALUES ('y', 1)) x(b, n)) t`
        expect(row!.json).toBe(`{"b":"Y","Odd \\"key\\"":2}`)
      }))
  })

  it("selectList refuses a missing or an extra field, in TypeScript and when called", () => {
    // @ts-expect-error a field of the Schema is missing
    expect(() => selectList(Shape, { b: "x.b" })).toThrow(`missing Odd "key"`)
    // @ts-expect-error a field is not the Schema's
    expect(() => selectList(Shape, { b: "x.b", "Odd \"key\"": "x.n", c: "x.c" })).toThrow("unknown c")
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
