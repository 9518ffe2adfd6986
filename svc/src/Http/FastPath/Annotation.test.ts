import type * as SqlClient from "@effect/sql/SqlClient"
import { HttpApi, HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Context, Schema } from "effect"
import { answerRendered, jsonAnswer } from "../Edge/Answers.js"
import { AnsweredFromCache, answeredFromCache, cachedRead } from "./Annotation.js"

/** A statement reading one thing by id, as a repository's would. */
const thingById = (sql: SqlClient.SqlClient, id: string) =>
  sql<{ json: string; etag: string }>`SELECT ${id} AS id, '"1"' AS etag, '{}' AS json`

const Path = Schema.Struct({ id: Schema.String })
const plain = HttpApiEndpoint.get("get", "/things/:id").setPath(Path).addSuccess(Schema.String)
const annotated = plain.pipe(cachedRead((id: string) => `t:${id}`, thingById))
const how = Context.unsafeGet(annotated.annotations, AnsweredFromCache)

describe("AnsweredFromCache", () => {
  it("cachedRead: the entry of the path's id, answered as answerRendered answers it", () => {
    const cached = { json: `{"id":"x"}`, etag: `"1-abc"` }
    expect(how.cacheKey({ id: "x" })).toBe("t:x")
    expect(how.answer(cached, { headers: {}, payload: undefined })).toEqual(answerRendered(cached))
    const conditional = how.answer(cached, { headers: { "if-none-match": `"1-abc"` }, payload: undefined })
    expect(conditional).toEqual(answerRendered(cached, { ifNoneMatch: `"1-abc"` }))
    expect(conditional.status).toBe(304)
  })

  it("answeredFromCache puts its answer on the endpoint as it is", () => {
    const answer = { cacheKey: (path: { readonly id: string }) => path.id, answer: () => jsonAnswer(200, "{}") }
    expect(Context.unsafeGet(plain.pipe(answeredFromCache(answer)).annotations, AnsweredFromCache)).toBe(answer)
  })

  it("is not part of the API document", () => {
    const document = (endpoint: typeof plain) =>
      OpenApi.fromApi(HttpApi.make("t").add(HttpApiGroup.make("things").add(endpoint)))
    expect(document(annotated)).toEqual(document(plain))
  })
})
