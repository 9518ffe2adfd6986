import { describe, expect, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"
import { DecimalInt } from "./Numbers.js"

describe("DecimalInt", () => {
  const Limit = DecimalInt(1, 1000)
  const decode = Schema.decodeUnknownEither(Limit)

  it("reads plain decimal digits in range, leading zeros included", () => {
    expect(decode("1")).toEqual(Either.right(1))
    expect(decode("1000")).toEqual(Either.right(1000))
    expect(decode("0005")).toEqual(Either.right(5))
    expect(Schema.encodeSync(Limit)(42)).toBe("42")
  })

  it("refuses signs, spaces, fractions, exponents, radix prefixes, other digits and values out of range", () => {
    const refused = [
      "0x10", "1e2", "1E2", "+3", "-1", "-0", " 5", "5 ", "\t5", "1.5", "2.0", "", "١", "５", "Infinity", "NaN",
      "0b1", "0o7", "1_000", "0", "1001", "9".repeat(400)
    ]
    expect(refused.filter((raw) => Either.isRight(decode(raw)))).toEqual([])
    for (const other of [5, null, ["1"], undefined]) expect(Either.isLeft(decode(other)), String(other)).toBe(true)
  })

  it("every refusal is one issue saying the range and what was sent", () => {
    for (const raw of ["abc", "0x10", "0", "1001", " 5"]) {
      const result = decode(raw)
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(ParseResult.ArrayFormatter.formatErrorSync(result.left).map((issue) => issue.message))
          .toEqual([`must be an integer from 1 to 1000, got ${JSON.stringify(raw)}`])
      }
    }
  })
})
