import { describe, expect, it } from "@effect/vitest"
import { Context } from "effect"
import type { ApplicationId } from "../../Domain/Ids.js"
import { conformance } from "../../Schemas/Current.js"
import type { CurrentSchema } from "../../Schemas/Resource.js"
import { AnsweredFromCache } from "../FastPath/Annotation.js"
import { SchemasApi } from "./Api.js"
import { validationAnswer } from "./ValidationAnswer.js"

const id = "01ARZ3NDEKTSV4RRFFQ69G5FAV" as ApplicationId

describe("validationAnswer", () => {
  it("is 200 with the result as JSON", () => {
    const result = { valid: false, errors: [{ path: "/retries", keyword: "minimum", message: "must be at least 0" }] }
    const answer = validationAnswer(result)
    expect(answer.status).toBe(200)
    expect(answer.headers["content-type"]).toBe("application/json")
    expect(JSON.parse(new TextDecoder().decode(answer.body))).toEqual(result)
  })
})

describe("cachedValidation", () => {
  const how = Context.unsafeGet(SchemasApi.endpoints.validate.annotations, AnsweredFromCache)

  it("is on POST /validate: the application's cached schema, and the handler's answer from it", () => {
    expect(how.cacheKey({ id })).toBe(`s:${id}`)
    const found: CurrentSchema = {
      schema_version: 1,
      schema: { id, etag: `"1"`, json: JSON.stringify({ schema: { properties: { level: { maximum: 3 } } } }) }
    }
    for (const config of [{ level: 5 }, { level: 1 }]) {
      const answer = how.answer(found, { headers: {}, payload: { config } })
      expect(answer).toEqual(validationAnswer(conformance(found, config)))
    }
    const none = how.answer({ schema_version: 0, schema: undefined }, { headers: {}, payload: { config: {} } })
    expect(JSON.parse(new TextDecoder().decode(none.body))).toEqual({ valid: true, errors: [] })
  })
})
