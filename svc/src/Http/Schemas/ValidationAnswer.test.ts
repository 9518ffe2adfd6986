import * as Either from "effect/Either"
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

/** Texts on which RE2 rebuilds its automaton at every character of `(a|b)*a(a|b){40}`: seconds within the step budget. */
const hostileTexts = () => {
  let seed = 42
  const bit = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) >> 30
  return Array.from({ length: 800 }, () => Array.from({ length: 600 }, () => "ab"[bit()]).join(""))
}

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
      expect(answer).toEqual(validationAnswer(Either.getOrThrow(conformance(found, config))))
    }
    const none = how.answer({ schema_version: 0, schema: undefined }, { headers: {}, payload: { config: {} } })
    expect(JSON.parse(new TextDecoder().decode(none.body))).toEqual({ valid: true, errors: [] })
  })

  it("answers 503 ServiceBusy, as the API does, when the check is given up in RE2", () => {
    const found: CurrentSchema = {
      schema_version: 1,
      schema: { id, etag: `"2"`, json: JSON.stringify({ schema: { items: { pattern: "(a|b)*a(a|b){40}" } } }) }
    }
    const answer = how.answer(found, { headers: {}, payload: { config: hostileTexts() } })
    expect(answer.status).toBe(503)
    expect(JSON.parse(new TextDecoder().decode(answer.body))).toEqual({
      _tag: "ServiceBusy",
      message: expect.stringContaining("gave up checking this configuration after 2 s")
    })
  }, 30_000)
})
