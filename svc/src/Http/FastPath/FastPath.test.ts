import type * as SqlClient from "@effect/sql/SqlClient"
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiMiddleware } from "@effect/platform"
import { expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Option, Schema } from "effect"
import { serverClient } from "../../../test/Net.js"
import { ServiceTest } from "../../../test/ServiceTest.js"
import { Authentication } from "../Edge/Authentication.js"
import { NodeServer } from "../Edge/NodeServer.js"
import { RequestCheck } from "../Edge/RequestCheck.js"
import { cachedRead } from "./Annotation.js"
import { fastPathFor } from "./FastPath.js"

/** A statement reading one thing by id, as a repository's would. */
const thingById = (sql: SqlClient.SqlClient, id: string) =>
  sql<{ json: string; etag: string }>`SELECT ${id} AS id, '"1"' AS etag, '{}' AS json`

class Audit extends HttpApiMiddleware.Tag<Audit>()("Test/Audit") {}

/** An API whose one cached read also passes a middleware the fast path has no twin of. */
const AuditedApi = HttpApi.make("audited").add(
  HttpApiGroup.make("things")
    .add(
      HttpApiEndpoint.get("get", "/things/:id")
        .setPath(Schema.Struct({ id: Schema.String }))
        .pipe(cachedRead((id: string) => `t:${id}`, thingById))
        .middleware(Audit)
    )
    .middleware(RequestCheck)
    .middleware(Authentication)
)

it.layer(ServiceTest())("the fast path", (it) => {
  it.effect("is installed in front of the API on the service's own server", () =>
    Effect.gen(function*() {
      expect((yield* NodeServer).answerFirst).toBeTypeOf("function")
    }))

  it.effect("refuses to be built for an API with a middleware it has no twin of, naming it and the endpoint", () =>
    Effect.gen(function*() {
      const server = yield* NodeServer
      const installed = server.answerFirst
      const exit = yield* Layer.build(fastPathFor(AuditedApi)).pipe(Effect.scoped, Effect.exit)
      const defect = Exit.isFailure(exit) ? Option.getOrUndefined(Cause.dieOption(exit.cause)) : undefined
      expect((defect as Error | undefined)?.message).toBe(
        "the fast path cannot agree with the API: " +
          "the middleware Test/Audit on things.get (GET /things/:id) has no twin in the fast path"
      )
      expect(server.answerFirst).toBe(installed)
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

