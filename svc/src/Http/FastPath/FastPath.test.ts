import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { serverClient } from "../../../test/Net.js"
import { ServiceTest } from "../../../test/ServiceTest.js"
import { NodeServer } from "../Edge/NodeServer.js"


it.layer(ServiceTest())("the fast path", (it) => {
  it.effect("is installed in front of the API on the service's own server", () =>
    Effect.gen(function*() {
      expect((yield* NodeServer).answerFirst).toBeTypeOf("function")
    }))
})

it.layer(ServiceTest({ CORS_ORIGINS: "https://app.example" }))("with CORS_ORIGINS", (it) => {
  it.effect("there is no shortcut: the CORS middleware adds its headers to every response", () =>
    Effect.gen(function*() {
      expect((yield* NodeServer).answerFirst).toBeUndefined()
      const request = yield* serverClient
      const created = yield* request({ method: "POST", path: "/api/v1/applications", body: { name: "cached-reads-cors" } })
      const path = `/api/v1/applications/${(created.json as { id: string }).id}`
      for (let i = 0; i < 2; i++) {
        const read = yield* request({ path })
        expect(read.status).toBe(200)
        expect(read.headers["access-control-allow-origin"]).toBe("https://app.example")
        expect(read.headers.vary).toBe("Origin")
      }
    }))
})

