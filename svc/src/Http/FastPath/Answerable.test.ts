import type * as SqlClient from "@effect/sql/SqlClient"
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiMiddleware } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { Api } from "../Api.js"
import { Authentication } from "../Edge/Authentication.js"
import { RequestCheck } from "../Edge/RequestCheck.js"
import { jsonAnswer } from "../Edge/Answers.js"
import { answeredFromCache, cachedRead } from "./Annotation.js"
import { answerableOf } from "./Answerable.js"
import { twins } from "./Twins.js"

/** A statement reading one thing by id, as a repository's would. */
const thingById = (sql: SqlClient.SqlClient, id: string) =>
  sql<{ json: string; etag: string }>`SELECT ${id} AS id, '"1"' AS etag, '{}' AS json`

const id = "01ARZ3NDEKTSV4RRFFQ69G5FAV"

class Extra extends HttpApiMiddleware.Tag<Extra>()("Test/Extra") {}

const ThingPath = Schema.Struct({ id: Schema.String })
const thingKey = (path: { readonly id: string }) => `t:${path.id}`
const read = HttpApiEndpoint.get("get", "/things/:id").setPath(ThingPath).pipe(cachedRead((id: string) => `t:${id}`, thingById))
const posted = HttpApiEndpoint.post("post", "/things/:id")
  .setPath(ThingPath)
  .setPayload(Schema.Struct({ n: Schema.Number }))
  .pipe(answeredFromCache({ cacheKey: thingKey, answer: () => jsonAnswer(200, "{}") }))

const things = HttpApiGroup.make("things")
const refused = "the fast path cannot agree with the API: "

const refusal = (api: HttpApi.HttpApi.Any) =>
  Either.match(answerableOf(api, twins), { onLeft: (error) => error.message, onRight: () => "" })

describe("answerableOf", () => {
  it("finds the annotated endpoints, each with its route, its middlewares' twins and its payload's decoding", () => {
    const answerable = Either.getOrThrow(answerableOf(Api, twins))
    expect(answerable.map((endpoint) => endpoint.name).sort()).toEqual([
      "applications.get (GET /api/v1/applications/:id)",
      "configurations.get (GET /api/v1/configurations/:id)",
      "schemas.validate (POST /api/v1/applications/:id/validate)"
    ])
    for (const endpoint of answerable) {
      expect(endpoint.twins).toEqual([twins.get(RequestCheck), twins.get(Authentication)])
      expect(endpoint.decodePayload === undefined).toBe(endpoint.method === "GET")
    }
    const keys = answerable.map((endpoint) => {
      const path = /\(\S+ (\S+)\)$/.exec(endpoint.name)![1]!.replace(":id", id)
      return endpoint.how.cacheKey(endpoint.match(path))
    })
    expect(keys.sort()).toEqual([`a:${id}`, `c:${id}`, `s:${id}`])
    const validate = answerable.find((endpoint) => endpoint.method === "POST")!
    expect(validate.decodePayload!({ config: { a: 1 } })).toEqual(Either.right({ config: { a: 1 } }))
    expect(Either.isLeft(validate.decodePayload!({ config: [] }))).toBe(true)
  })

  it("takes an API whose annotated endpoints' middlewares all have twins", () => {
    const api = HttpApi.make("t").add(things.add(read).add(posted).middleware(RequestCheck).middleware(Authentication))
    expect(Either.getOrThrow(answerableOf(api, twins))).toHaveLength(2)
    const untwinnedElsewhere = HttpApi.make("t")
      .add(things.add(read).middleware(RequestCheck))
      .add(HttpApiGroup.make("others").add(HttpApiEndpoint.get("list", "/others")).middleware(Extra))
    expect(refusal(untwinnedElsewhere)).toBe("")
  })

  it("refuses a middleware without a twin on an annotated endpoint, its group or the API, naming both", () => {
    const message = `${refused}the middleware Test/Extra on things.get (GET /things/:id) has no twin in the fast path`
    const onEndpoint = HttpApi.make("t").add(things.add(read.middleware(Extra)).middleware(Authentication))
    const onGroup = HttpApi.make("t").add(things.add(read).middleware(Extra))
    const onApi = HttpApi.make("t").add(things.add(read)).middleware(Extra)
    for (const api of [onEndpoint, onGroup, onApi]) expect(refusal(api)).toBe(message)
  })

  it("refuses an annotated endpoint with a body when no twin says how the API reads one", () => {
    const api = HttpApi.make("t").add(things.add(posted).middleware(Authentication))
    expect(refusal(api)).toBe(
      `${refused}things.post (POST /things/:id) reads a body, and no twin of its middlewares says how the API reads one`
    )
  })
})
