import { describe, expect, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"
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

  it("a refusal is one message saying what a ULID is and quoting what was sent, branded or not", () => {
    const decoders = [Ulid, ApplicationId, ConfigurationId].map((schema) =>
      Schema.decodeUnknownEither(schema as Schema.Schema<string>)
    )
    const bads = [["xyz", "\"xyz\""], [42, "42"], ["81ARZ3NDEKTSV4RRFFQ69G5FAV", "\"81ARZ3NDEKTSV4RRFFQ69G5FAV\""]]
    for (const decodeWith of decoders) {
      for (const [bad, shown] of bads) {
        const result = decodeWith(bad)
        expect(Either.isLeft(result)).toBe(true)
        if (Either.isLeft(result)) {
          expect(ParseResult.ArrayFormatter.formatErrorSync(result.left).map((issue) => issue.message))
            .toEqual([`must be a ULID (26 characters, Crockford base32), got ${shown}`])
        }
      }
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
