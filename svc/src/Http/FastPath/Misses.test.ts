import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { comparable, shortcutSwitch } from "../../../test/Parity.js"
import { response } from "../../../test/Requests.js"
import { ServiceTest } from "../../../test/ServiceTest.js"
import { SqlClient } from "@effect/sql"
import { ChangeFeed } from "../../ChangeFeed/ChangeFeed.js"
import { applicationKey, configurationKey } from "../../ChangeFeed/ChangeKeys.js"
import type { ApplicationId, ConfigurationId } from "../../Domain/Ids.js"

it.layer(ServiceTest())("a read whose entry is not cached", (it) => {
  it.scoped("is loaded and answered by the fast path with the API's bytes; what it cannot answer goes on to the API", () =>
    Effect.gen(function*() {
      const { port, server } = yield* shortcutSwitch
      const sql = yield* SqlClient.SqlClient
      const heard = new Set<string>()
      yield* (yield* ChangeFeed).subscribe({ change: (key) => heard.add(key), reset: () => {} })
      /** Drops `key`'s entry on this instance as any change to it would: a write with plain SQL, read from the change log. */
      const drop = (key: string) =>
        Effect.gen(function*() {
          heard.delete(key)
          const id = key.slice(2)
          if (key.startsWith("a:")) yield* sql`UPDATE applications SET name = name WHERE id = ${id}`
          else yield* sql`UPDATE configurations SET name = name WHERE id = ${id}`
          for (let i = 0; i < 250 && !heard.has(key); i++) yield* Effect.promise(() => new Promise((r) => setTimeout(r, 20)))
          expect(heard.has(key)).toBe(true)
        })
      const answerFirst = server.answerFirst!
      const app = yield* response(port, { method: "POST", path: "/api/v1/applications", body: { name: "misses" } })
      const appId = (app.json as { id: ApplicationId }).id
      const config = yield* response(port, {
        method: "POST",
        path: "/api/v1/configurations",
        body: { application_id: appId, name: "c", config: { "ключ": [1, { deep: null }] } }
      })
      const configId = (config.json as { id: ConfigurationId }).id
      const paths = {
        [applicationKey(appId)]: `/api/v1/applications/${appId}`,
        [configurationKey(configId)]: `/api/v1/configurations/${configId}`
      }

      for (const [key, path] of Object.entries(paths)) {
        const etag = (yield* response(port, { path })).headers.etag!
        for (const headers of [{}, { "if-none-match": etag }, { "if-none-match": `"0"` }]) {
          yield* drop(key)
          let taken = false
          server.answerFirst = (request, res) => (taken = answerFirst(request, res))
          const missed = yield* response(port, { path, headers })
          server.answerFirst = undefined
          const throughApi = yield* response(port, { path, headers })
          server.answerFirst = answerFirst
          expect(taken, `${path} ${JSON.stringify(headers)}`).toBe(true)
          expect(comparable(missed)).toEqual(comparable(throughApi))
        }
      }

      // No such configuration: taken, then answered by the API (404), byte for byte.
      const missing = "/api/v1/configurations/01ARZ3NDEKTSV4RRFFQ69G5FAW"
      let taken = false
      server.answerFirst = (request, res) => (taken = answerFirst(request, res))
      const notFound = yield* response(port, { path: missing })
      server.answerFirst = undefined
      const notFoundByApi = yield* response(port, { path: missing })
      server.answerFirst = answerFirst
      expect(taken).toBe(true)
      expect(notFound.status).toBe(404)
      expect(comparable(notFound)).toEqual(comparable(notFoundByApi))
    }))
})
