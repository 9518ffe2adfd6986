import { describe, expect, it } from "@effect/vitest"
import { Context, Either, Schema } from "effect"
import { AnsweredFromCache } from "../FastPath/Annotation.js"
import { ApplicationsApi, DeleteParams, PageParams } from "./Api.js"

describe("Applications/Api", () => {
  it("paging takes limit 1..1000 and an optional ULID after", () => {
    const decode = Schema.decodeUnknownEither(PageParams)
    expect(decode({})).toEqual(Either.right({}))
    expect(decode({ limit: "1" })).toEqual(Either.right({ limit: 1 }))
    expect(decode({ limit: "1000", after: "01arz3ndektsv4rrffq69g5fav" })).toEqual(
      Either.right({ limit: 1000, after: "01ARZ3NDEKTSV4RRFFQ69G5FAV" })
    )
    for (const bad of [{ limit: "0" }, { limit: "1001" }, { limit: "2.5" }, { limit: "x" }, { after: "x" }]) {
      expect(Either.isLeft(decode(bad)), JSON.stringify(bad)).toBe(true)
    }
  })

  it("cascade is true or false only", () => {
    const decode = Schema.decodeUnknownEither(DeleteParams)
    expect(decode({ cascade: "true" })).toEqual(Either.right({ cascade: true }))
    expect(decode({ cascade: "false" })).toEqual(Either.right({ cascade: false }))
    expect(Either.isLeft(decode({ cascade: "yes" }))).toBe(true)
  })

  it("the group holds the six application endpoints", () => {
    expect(Object.keys(ApplicationsApi.endpoints).sort()).toEqual(
      ["configurations", "create", "delete", "get", "list", "update"]
    )
  })

  it("only the read of an application is answered from the read cache, by its entry", () => {
    const answered = Object.values(ApplicationsApi.endpoints)
      .filter((endpoint) => Context.getOption(endpoint.annotations, AnsweredFromCache)._tag === "Some")
    expect(answered.map((endpoint) => endpoint.name)).toEqual(["get"])
    const id = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
    const how = Context.unsafeGet(ApplicationsApi.endpoints.get.annotations, AnsweredFromCache)
    expect(how.cacheKey({ id })).toBe(`a:${id}`)
  })
})
