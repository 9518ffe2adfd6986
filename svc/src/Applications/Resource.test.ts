import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { expectShape } from "../../test/RenderedShape.js"
import { ConfigurationsRepo } from "../Configurations/Repo.js"
import { Application } from "../Domain/Application.js"
import { layerTestDatabase } from "../Testing/TestDatabase.js"
import { ApplicationsRepo } from "./Repo.js"
import { cacheKey, listKey, render, typed } from "./Resource.js"

const Repos = Layer.mergeAll(ApplicationsRepo.Default, ConfigurationsRepo.Default).pipe(Layer.provideMerge(layerTestDatabase))

it.layer(Repos)("Applications/Resource", (it) => {
  it.effect("every rendered row decodes with the domain schema; the tag follows the version and the configuration ids", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const applications = yield* ApplicationsRepo
      const configurations = yield* ConfigurationsRepo
      const empty = yield* applications.create({ name: "empty" })
      const busy = yield* applications.create({ name: "büsy ✓", comments: "with configurations" })
      const before = (yield* applications.get(busy.id)).etag
      const configuration = yield* configurations.create({ application_id: busy.id, name: "one", config: {} }, null)
      const after = (yield* applications.get(busy.id)).etag
      expect(after).not.toBe(before)
      expect(after.startsWith(`"1-`)).toBe(true)
      const renamed = yield* applications.update(busy.id, { name: "busy" })
      expect(renamed.etag).toBe(after.replace(`"1-`, `"2-`))

      const rows = yield* render(sql, sql`applications a ORDER BY a.id`)
      const decoded = yield* typed.all(Effect.succeed(rows))
      expect(decoded.map((a) => a.id)).toEqual([empty.id, busy.id])
      expect(decoded[1]!.configuration_ids).toEqual([configuration.id])
      decoded.forEach((application, i) => expect(rows[i]!.etag).toMatch(new RegExp(`^"${application.version}-[0-9a-f]{12}"$`)))
      expect(cacheKey(empty.id)).toBe(`a:${empty.id}`)
      expect(listKey({})).toBe("list::")
      expect(listKey({ after: empty.id, limit: 5 })).toBe(`list:${empty.id}:5`)
    }))

  it.effect("the JSON has every field of the Application Schema and no other, in its order, with and without nulls", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const bare = yield* (yield* ApplicationsRepo).create({ name: "shape-bare" })
      const full = yield* (yield* ApplicationsRepo).create({ name: "shape-full", comments: "c" })
      yield* (yield* ConfigurationsRepo).create({ application_id: full.id, name: "one", config: { a: 1 } }, null)
      const rows = yield* render(sql, sql`applications a WHERE a.id IN (${bare.id}, ${full.id}) ORDER BY a.id`)
      const [shownBare, shownFull] = rows.map((row) => expectShape(Application, row.json))
      expect([shownBare!.comments, shownBare!.configuration_ids]).toEqual([null, []])
      expect([shownFull!.comments, shownFull!.configuration_ids.length]).toEqual(["c", 1])
    }))
})
