import { describe, expect, it } from "@effect/vitest"
import { Context, Either, Schema } from "effect"
import { AnsweredFromCache } from "../FastPath/Annotation.js"
import { ConfigurationPath, ConfigurationsApi } from "./Api.js"

describe("Configurations/Api", () => {
  it("the path id is a ULID, upper-cased", () => {
    const decode = Schema.decodeUnknownEither(ConfigurationPath)
    expect(decode({ id: "01arz3ndektsv4rrffq69g5fav" })).toEqual(Either.right({ id: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }))
    expect(Either.isLeft(decode({ id: "nope" }))).toBe(true)
  })

  it("the group holds the four configuration endpoints", () => {
    expect(Object.keys(ConfigurationsApi.endpoints).sort()).toEqual(["create", "delete", "get", "update"])
  })

  it("only the read of a configuration is answered from the read cache, by its entry", () => {
    const answered = Object.values(ConfigurationsApi.endpoints)
      .filter((endpoint) => Context.getOption(endpoint.annotations, AnsweredFromCache)._tag === "Some")
    expect(answered.map((endpoint) => endpoint.name)).toEqual(["get"])
    const id = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
    const how = Context.unsafeGet(ConfigurationsApi.endpoints.get.annotations, AnsweredFromCache)
    expect(how.cacheKey({ id })).toBe(`c:${id}`)
  })
})
