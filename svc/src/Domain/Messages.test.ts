import { describe, expect, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"
import { expecting, nullOrText, quote, requestBody } from "./Messages.js"

/** The ArrayFormatter issues of a failed decode, as `path: message` pairs. */
const problems = <A, I>(schema: Schema.Schema<A, I>, input: unknown) => {
  const result = Schema.decodeUnknownEither(schema)(input)
  if (Either.isRight(result)) throw new Error(`${JSON.stringify(input)} was accepted`)
  return ParseResult.ArrayFormatter.formatErrorSync(result.left).map((issue) => [issue.path.join("."), issue.message])
}

describe("quote", () => {
  it("shows the value as JSON, cut short", () => {
    expect(quote("xyz")).toBe("\"xyz\"")
    expect(quote(42)).toBe("42")
    expect(quote(["1", "2"])).toBe("[\"1\",\"2\"]")
    expect(quote("a\u0000")).toBe("\"a\\u0000\"")
    expect(quote(undefined)).toBe("undefined")
    expect(quote("x".repeat(1000))).toBe(`"${"x".repeat(39)}…`)
  })
})

describe("expecting", () => {
  it("replaces every failure inside the schema by one line quoting the value", () => {
    const Even = Schema.NumberFromString.pipe(Schema.filter((n) => n % 2 === 0)).annotations(expecting("must be even"))
    expect(problems(Even, "3")).toEqual([["", "must be even, got \"3\""]])
    expect(problems(Even, "abc")).toEqual([["", "must be even, got \"abc\""]])
    expect(problems(Even, 4)).toEqual([["", "must be even, got 4"]])
  })
})

describe("nullOrText", () => {
  const Short = Schema.String.pipe(Schema.maxLength(3, { message: () => "must be at most 3 characters" }))
  const NullableShort = nullOrText(Short, "must be a string of at most 3 characters, or null")

  it("accepts the text and null", () => {
    expect(Schema.decodeUnknownSync(NullableShort)("abc")).toBe("abc")
    expect(Schema.decodeUnknownSync(NullableShort)(null)).toBeNull()
  })

  it("a string breaking the text's rules gets the text's message only, anything else one message", () => {
    expect(problems(NullableShort, "abcd")).toEqual([["", "must be at most 3 characters"]])
    expect(problems(NullableShort, 5)).toEqual([["", "must be a string of at most 3 characters, or null"]])
    expect(problems(NullableShort, [])).toEqual([["", "must be a string of at most 3 characters, or null"]])
  })
})

describe("requestBody", () => {
  const Body = Schema.Struct({ a: Schema.String, b: Schema.Number }).annotations(requestBody)

  it("refuses unknown fields and reports every problem at once", () => {
    expect(problems(Body, { a: 1, c: true })).toEqual([
      ["c", "is unexpected, expected: \"a\" | \"b\""],
      ["a", "Expected string, actual 1"],
      ["b", "is missing"]
    ])
  })

  it("a body that is not an object must be a JSON object", () => {
    for (const input of [[], null, "text", 3]) expect(problems(Body, input)).toEqual([["", "must be a JSON object"]])
  })
})
