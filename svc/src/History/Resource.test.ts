import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { layerRepos } from "../../test/History.js"
import { expectShape } from "../../test/RenderedShape.js"
import { ApplicationsRepo } from "../Applications/Repo.js"
import { ConfigurationsRepo } from "../Configurations/Repo.js"
import { Change, Version } from "../Domain/Version.js"
import { changeColumns, changesAfter, renderVersions } from "./Resource.js"

it.layer(layerRepos())("History/Resource", (it) => {
  it.effect("versions and changes have every field of their Schemas and no other, in their order, with and without nulls", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const app = yield* (yield* ApplicationsRepo).create({ name: "shape" })
      const configurations = yield* ConfigurationsRepo
      const created = yield* configurations.create({ application_id: app.id, name: "a", config: { n: 1 } }, null)
      yield* configurations.update(created.id, { name: "b", comments: "c", config: { n: [2] } }, "any", "alice")
      yield* configurations.remove(created.id, "any", "bob")

      const versions = yield* renderVersions(sql, sql`configuration_versions v WHERE v.application_id = ${app.id} ORDER BY v.version`)
      const shown = versions.map((row) => expectShape(Version, row.json))
      expect(shown.map((v) => [v.version, v.op, v.comments, v.actor])).toEqual([
        [1, "create", null, null],
        [2, "update", "c", "alice"],
        [3, "delete", "c", "bob"]
      ])
      expect(versions.map((row) => row.version)).toEqual([1, 2, 3])

      const page = yield* changesAfter(sql, changeColumns, app.id, 0, undefined)
      const changes = page?._tag === "Changes" ? page.changes : []
      expect(changes.map((row) => expectShape(Change, row.json)).map((c) => [c.revision, c.op, c.actor])).toEqual([
        [1, "create", null],
        [2, "update", "alice"],
        [3, "delete", "bob"]
      ])
      expect(changes.map((row) => row.revision)).toEqual([1, 2, 3])
    }))
})
