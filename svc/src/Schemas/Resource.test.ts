import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { expectShape } from "../../test/RenderedShape.js"
import { ApplicationsRepo } from "../Applications/Repo.js"
import { ApplicationSchema } from "../JsonSchema/ApplicationSchema.js"
import { layerTestDatabase } from "../Testing/TestDatabase.js"
import { SchemasRepo } from "./Repo.js"
import { cacheKey, current, render, typed } from "./Resource.js"

const Repos = Layer.mergeAll(ApplicationsRepo.Default, SchemasRepo.Default).pipe(Layer.provideMerge(layerTestDatabase))

const put = (schemas: SchemasRepo, id: Parameters<SchemasRepo["put"]>[0], schema: unknown, actor: string | null) =>
  schemas.put(id, schema, { byteLength: JSON.stringify(schema).length, force: false, precondition: "any", actor })

it.layer(Repos)("Schemas/Resource", (it) => {
  it.effect("the JSON has every field of the ApplicationSchema Schema and no other, in its order; its tag is its version", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const applications = yield* ApplicationsRepo
      const schemas = yield* SchemasRepo
      const object = yield* applications.create({ name: "object" })
      const boolean = yield* applications.create({ name: "boolean" })
      const none = yield* applications.create({ name: "none" })
      yield* put(schemas, object.id, { type: "object", properties: { n: { type: "integer" } } }, null)
      yield* put(schemas, boolean.id, false, "ci")
      yield* put(schemas, boolean.id, true, "ci")

      const rows = yield* render(sql, sql`application_schemas s WHERE s.application_id IN (${object.id}, ${boolean.id})
        ORDER BY s.application_id`)
      const shown = rows.map((row) => expectShape(ApplicationSchema, row.json))
      expect(shown.map((s) => [s.application_id, s.schema, s.version, s.actor])).toEqual([
        [object.id, { type: "object", properties: { n: { type: "integer" } } }, 1, null],
        [boolean.id, true, 2, "ci"]
      ])
      expect(rows.map((row) => [row.id, row.etag])).toEqual([[object.id, `"1"`], [boolean.id, `"2"`]])
      expect(yield* typed.all(Effect.succeed(rows))).toEqual(shown)

      const [found] = yield* current(sql, boolean.id)
      expect(found?.json).toBe(rows[1]!.json)
      const [absent] = yield* current(sql, none.id)
      expect(absent).toMatchObject({ schema_version: 0, json: null })
      expect(cacheKey(object.id)).toBe(`s:${object.id}`)
    }))
})
