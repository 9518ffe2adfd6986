import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { expectShape } from "../../test/RenderedShape.js"
import { ApplicationsRepo } from "../Applications/Repo.js"
import { Configuration } from "../Domain/Configuration.js"
import { layerTestDatabase } from "../Testing/TestDatabase.js"
import { ConfigurationsRepo } from "./Repo.js"
import { cacheKey, render, typed } from "./Resource.js"

const Repos = Layer.mergeAll(ApplicationsRepo.Default, ConfigurationsRepo.Default).pipe(Layer.provideMerge(layerTestDatabase))

it.layer(Repos)("Configurations/Resource", (it) => {
  it.effect("every rendered row decodes with the domain schema, and its tag is its version", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const app = yield* (yield* ApplicationsRepo).create({ name: "resource" })
      const configurations = yield* ConfigurationsRepo
      const first = yield* configurations.create({
        application_id: app.id,
        name: "ünïcødé 🎉",
        config: { nested: { deep: [1, "two", null, true, { "__proto__": 1 }] }, "": "" }
      }, null)
      yield* configurations.update(first.id, { name: "renamed", comments: "c".repeat(1024), config: {} }, "any", null)
      const plain = { application_id: app.id, name: "plain", comments: null, config: { n: 1.5e300 } }
      yield* configurations.create(plain, null)
      const rows = yield* render(sql, sql`configurations c ORDER BY c.id`)
      expect(rows).toHaveLength(2)
      const decoded = yield* typed.all(Effect.succeed(rows))
      decoded.forEach((configuration, i) => {
        expect(rows[i]!.id).toBe(configuration.id)
        expect(rows[i]!.etag).toBe(`"${configuration.version}"`)
      })
      expect(decoded.map((c) => c.version)).toEqual([2, 1])
      expect(cacheKey(first.id)).toBe(`c:${first.id}`)
    }))

  it.effect("the JSON has every field of the Configuration Schema and no other, in its order, with and without nulls", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const app = yield* (yield* ApplicationsRepo).create({ name: "shape" })
      const configurations = yield* ConfigurationsRepo
      yield* configurations.create({ application_id: app.id, name: "bare", config: {} }, null)
      yield* configurations.create({ application_id: app.id, name: "full", comments: "c", config: { a: [1, { b: null }] } }, null)
      const rows = yield* render(sql, sql`configurations c WHERE c.application_id = ${app.id} ORDER BY c.id`)
      const shown = rows.map((row) => expectShape(Configuration, row.json))
      expect(shown.map((c) => [c.name, c.comments, c.config])).toEqual([["bare", null, {}], ["full", "c", { a: [1, { b: null }] }]])
    }))
})
