import { describe, expect, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"
import { Comments, Name, NullableComments } from "./Text.js"

const messages = <A, I>(schema: Schema.Schema<A, I>, input: unknown) =>
  Either.match(Schema.decodeUnknownEither(schema)(input), {
    onLeft: (error) => ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => issue.message),
    onRight: () => []
  })

describe("Text", () => {
  const name = Schema.decodeUnknownEither(Name)
  const comments = Schema.decodeUnknownEither(Comments)

  it("a name is 1..256 characters, not blank, without NUL", () => {
    expect(Either.isRight(name("billing"))).toBe(true)
    expect(Either.isRight(name(" padded "))).toBe(true)
    expect(Either.isRight(name("x".repeat(256)))).toBe(true)
    expect(Either.isRight(name("é".repeat(256)))).toBe(true)
    expect(Either.isRight(name("🚀".repeat(256)))).toBe(true)
    for (const bad of ["", "   ", "\t\n", "x".repeat(257), "🚀".repeat(257), "a\u0000b", 5, null]) {
      expect(Either.isLeft(name(bad)), JSON.stringify(bad)).toBe(true)
    }
  })

  it("comments are at most 1024 characters without NUL, and may be empty", () => {
    expect(Either.isRight(comments(""))).toBe(true)
    expect(Either.isRight(comments("c".repeat(1024)))).toBe(true)
    expect(Either.isLeft(comments("c".repeat(1025)))).toBe(true)
    expect(Either.isLeft(comments("\u0000"))).toBe(true)
  })

  it("failures say what is wrong", () => {
    const failure = name("   ")
    expect(Either.isLeft(failure) && String(failure.left)).toContain("must not be blank")
    const long = name("x".repeat(257))
    expect(Either.isLeft(long) && String(long.left)).toContain("at most 256 characters")
  })

  it("a value that is not a string says what a name and comments must be", () => {
    for (const bad of [42, null, [], { a: 1 }]) {
      expect(messages(Name, bad)).toEqual(["must be a string of 1 to 256 characters that is not blank"])
      expect(messages(Comments, bad)).toEqual(["must be a string of at most 1024 characters"])
    }
  })

  it("nullable comments: one message, the text's own for a string", () => {
    expect(messages(NullableComments, null)).toEqual([])
    expect(messages(NullableComments, 5)).toEqual(["must be a string of at most 1024 characters, or null"])
    expect(messages(NullableComments, "c".repeat(1025))).toEqual(["must be at most 1024 characters"])
    expect(messages(NullableComments, "a\u0000")).toEqual(["must not contain NUL (\\u0000) characters"])
  })
})
