import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { ApplicationId, ConfigurationId, makeApplicationId, makeConfigurationId, Ulid } from "./Ids.js"

describe("Ids", () => {
  const decode = Schema.decodeUnknownEither(Ulid)

  it("accepts canonical ULIDs and upper-cases lower-case ones", () => {
    expect(decode("01ARZ3NDEKTSV4RRFFQ69G5FAV")).toEqual(Either.right("01ARZ3NDEKTSV4RRFFQ69G5FAV"))
    expect(decode("01arz3ndektsv4rrffq69g5fav")).toEqual(Either.right("01ARZ3NDEKTSV4RRFFQ69G5FAV"))
  })

  it("rejects what is not a ULID", () => {
    for (const bad of ["", "01ARZ3NDEKTSV4RRFFQ69G5FA", "01ARZ3NDEKTSV4RRFFQ69G5FAVX", "01ARZ3NDEKTSV4RRFFQ69G5FAI",
      "81ARZ3NDEKTSV4RRFFQ69G5FAV", "01ARZ3NDEKTSV4RRFFQ69G5FA-", 42, null]) {
      expect(Either.isLeft(decode(bad)), String(bad)).toBe(true)
    }
  })

  it("generated ids are valid, distinct and increase", () => {
    const ids = Array.from({ length: 100 }, () => makeConfigurationId())
    expect(new Set(ids).size).toBe(100)
    expect([...ids].sort()).toEqual(ids)
    for (const id of ids) expect(Schema.is(ConfigurationId)(id)).toBe(true)
    expect(Schema.is(ApplicationId)(makeApplicationId())).toBe(true)
  })
})
