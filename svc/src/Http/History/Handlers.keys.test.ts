import { HttpClient, HttpClientRequest } from "@effect/platform"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { createHash } from "node:crypto"
import { exchange } from "../../../test/Requests.js"
import { ServiceTest } from "../../../test/ServiceTest.js"
import { makeClient } from "../Client.js"

/** The typed client, sending `key` as its bearer token. */
const clientWith = (key: string) =>
  Effect.flatMap(HttpClient.HttpClient, (http) =>
    makeClient().pipe(
      Effect.provideService(HttpClient.HttpClient, HttpClient.mapRequest(http, HttpClientRequest.bearerToken(key)))
    ))

const status = (method: "GET" | "POST", url: string, token?: string) =>
  Effect.map(exchange(method, url, token === undefined ? {} : { token }), (response) => response.status)

const keys = "deployer=w-key:write,anonymous-secret:write,r-key:read"

it.layer(ServiceTest({ API_KEYS: keys }))("actors under API_KEYS", (it) => {
  it.effect("each version and change names the key that wrote it, never its secret", () =>
    Effect.gen(function*() {
      const deployer = yield* clientWith("w-key")
      const unnamed = yield* clientWith("anonymous-secret")
      const app = yield* deployer.applications.create({ payload: { name: "audited" } })
      const created = yield* deployer.configurations.create({
        payload: { application_id: app.id, name: "c", config: { v: 1 } }
      })
      yield* unnamed.configurations.update({ path: { id: created.id }, payload: { name: "c", config: { v: 2 } } })
      yield* deployer.configurations.delete({ path: { id: created.id } })
      yield* unnamed.history.restore({ path: { id: created.id, version: 1 } })

      const digest = `key-${createHash("sha256").update("anonymous-secret").digest("hex").slice(0, 8)}`
      const versions = yield* deployer.history.versions({ path: { id: created.id }, urlParams: {} })
      expect(versions.map((v) => [v.version, v.op, v.actor])).toEqual([
        [4, "restore", digest],
        [3, "delete", "deployer"],
        [2, "update", digest],
        [1, "create", "deployer"]
      ])
      const reader = yield* clientWith("r-key")
      const changes = yield* reader.history.changes({ path: { id: app.id }, urlParams: {} })
      expect(changes.changes.map((c) => c.actor)).toEqual(["deployer", digest, "deployer", digest])
      const text = JSON.stringify([versions, changes])
      expect(text).not.toContain("w-key")
      expect(text).not.toContain("anonymous-secret")
    }))

  it.effect("a read key reads history but may not restore (403); without a key every history operation is 401", () =>
    Effect.gen(function*() {
      const deployer = yield* clientWith("w-key")
      const app = yield* deployer.applications.create({ payload: { name: "guarded" } })
      const created = yield* deployer.configurations.create({
        payload: { application_id: app.id, name: "c", config: {} }
      })
      const version = `/api/v1/configurations/${created.id}/versions/1`
      const reads = [
        `/api/v1/configurations/${created.id}/versions`,
        version,
        `${version}/diff`,
        `/api/v1/applications/${app.id}/changes`
      ]
      for (const url of reads) {
        expect(yield* status("GET", url, "r-key"), url).toBe(200)
        expect(yield* status("GET", url), url).toBe(401)
      }
      expect(yield* status("POST", `${version}/restore`, "r-key")).toBe(403)
      expect(yield* status("POST", `${version}/restore`)).toBe(401)
      expect(yield* status("POST", `${version}/restore`, "w-key")).toBe(200)
    }))
})
