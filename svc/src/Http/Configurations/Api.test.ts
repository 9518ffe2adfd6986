import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
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
})
