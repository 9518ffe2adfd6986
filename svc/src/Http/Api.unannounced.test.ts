import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { ServiceTest } from "../../test/ServiceTest.js"
import { ChangeFeed } from "../ChangeFeed/ChangeFeed.js"
import { makeClient } from "./Client.js"

/**
 * A change committed by a writer that never announced it — as a writer killed between its
 * COMMIT and its tick leaves the database: the change is in the log, no instance was told.
 * Reads started more than 1 s after the commit must all see it.
 */
const readsAfter = <A>(committedAt: number, read: Effect.Effect<A, unknown>) =>
  Effect.gen(function*() {
    const seen: Array<{ readonly after: number; readonly value: A }> = []
    while (performance.now() - committedAt < 1_500) {
      const startedAt = performance.now()
      seen.push({ after: startedAt - committedAt, value: yield* read })
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 20)))
    }
    return seen
  })

it.layer(ServiceTest())("a change no writer announced", (it) => {
  it.effect("is read within 1 s: the instance drops or replaces what it cached", () =>
    Effect.gen(function*() {
      const client = yield* makeClient()
      const sql = yield* SqlClient.SqlClient
      const feed = yield* ChangeFeed
      const app = yield* client.applications.create({ payload: { name: "unannounced" } })
      const created = yield* client.configurations.create({ payload: { application_id: app.id, name: "c", config: { v: 1 } } })
      const get = client.configurations.get({ path: { id: created.id }, urlParams: {} })
      const getApp = client.applications.get({ path: { id: app.id }, urlParams: {} })
      for (let i = 0; i < 3; i++) expect((yield* get).config).toEqual({ v: 1 })
      expect((yield* getApp).name).toBe("unannounced")
      expect(feed.trusted()).toBe(true)

      yield* sql`UPDATE configurations SET config = '{"v":2}'::jsonb WHERE id = ${created.id}`
      const changedAt = performance.now()
      const configs = yield* readsAfter(changedAt, Effect.map(get, (c) => c.config))
      const late = configs.filter((read) => read.after > 1_000)
      expect(late.length).toBeGreaterThan(0)
      for (const read of late) expect(read.value).toEqual({ v: 2 })
      console.log(`bench: an unannounced change was first read ${Math.round(configs.find((r) => (r.value as { v: number }).v === 2)!.after)} ms after its commit`)

      yield* sql`UPDATE applications SET name = 'renamed quietly' WHERE id = ${app.id}`
      const renamedAt = performance.now()
      const names = yield* readsAfter(renamedAt, Effect.map(getApp, (a) => a.name))
      for (const read of names.filter((read) => read.after > 1_000)) expect(read.value).toBe("renamed quietly")

      yield* sql`DELETE FROM configurations WHERE id = ${created.id}`
      const deletedAt = performance.now()
      const gone = yield* readsAfter(deletedAt, Effect.match(get, { onFailure: (e) => (e as { _tag: string })._tag, onSuccess: () => "found" }))
      for (const read of gone.filter((read) => read.after > 1_000)) expect(read.value).toBe("ConfigurationNotFound")
    }), 30_000)
})
