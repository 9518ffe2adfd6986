import { describe, expect, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"
import { ConfigObject, ConfigurationCreate, ConfigurationUpdate } from "./Configuration.js"

describe("Configuration", () => {
  const config = Schema.decodeUnknownEither(ConfigObject)

  it("config is a JSON object of any values", () => {
    const value = { a: 1, b: [1, "x", null], c: { d: { e: true } }, "": "", "Ключ": "значение" }
    expect(config(value)).toEqual(Either.right(value))
    expect(config({})).toEqual(Either.right({}))
  })

  it("config that is not an object, or has a NUL in a key, is refused", () => {
    for (const bad of [[], [1], "s", 1, null, true, { "a\u0000": 1 }]) {
      expect(Either.isLeft(config(bad)), JSON.stringify(bad)).toBe(true)
    }
  })

  it("create needs application_id, name and config; update may repeat application_id", () => {
    const id = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
    expect(Either.isRight(Schema.decodeUnknownEither(ConfigurationCreate)({ application_id: id, name: "n", config: {} })))
      .toBe(true)
    expect(Either.isLeft(Schema.decodeUnknownEither(ConfigurationCreate)({ name: "n", config: {} }))).toBe(true)
    expect(Either.isRight(Schema.decodeUnknownEither(ConfigurationUpdate)({ name: "n", config: {} }))).toBe(true)
    expect(Schema.decodeUnknownSync(ConfigurationUpdate)({ application_id: id.toLowerCase(), name: "n", config: {} }))
      .toMatchObject({ application_id: id })
    expect(Either.isLeft(Schema.decodeUnknownEither(ConfigurationUpdate)({ name: "n", config: {}, other: 1 }))).toBe(true)
  })

  it("a refused body names the path of each problem, all at once", () => {
    const result = Schema.decodeUnknownEither(ConfigurationCreate)({
      application_id: "nope",
      name: 5,
      config: { a: { list: [1, "x\u0000"] } },
      comment: "typo"
    })
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      const issues = ParseResult.ArrayFormatter.formatErrorSync(result.left)
      expect(issues.map(({ message, path }) => [path, message])).toEqual([
        [["comment"], "is unexpected, expected: \"application_id\" | \"name\" | \"comments\" | \"config\""],
        [["application_id"], "must be a ULID (26 characters, Crockford base32), got \"nope\""],
        [["name"], "must be a string of 1 to 256 characters that is not blank"],
        [["config", "a", "list", 1], "must not contain NUL (\\u0000) characters"]
      ])
    }
  })

  it("config that is not an object must be a JSON object", () => {
    const result = config([1])
    expect(Either.isLeft(result) && ParseResult.ArrayFormatter.formatErrorSync(result.left)).toEqual([
      { _tag: "Type", path: [], message: "must be a JSON object" }
    ])
  })
})
