import { HttpApiDecodeError } from "@effect/platform/HttpApiError"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { ApplicationPath, PageParams } from "../Applications/Api.js"
import { ApplicationInput } from "../../Domain/Application.js"
import { ConfigurationCreate } from "../../Domain/Configuration.js"
import { maxIssues, maxLines, pathText, readableDecodeError } from "./DecodeError.js"

/** The error the API answers when `input` fails `schema`, as the HTTP middleware leaves it. */
const answer = <A, I>(schema: Schema.Schema<A, I>, input: unknown) =>
  Schema.decodeUnknown(schema)(input).pipe(
    Effect.flip,
    Effect.flatMap(HttpApiDecodeError.fromParseError),
    Effect.map(readableDecodeError)
  )

describe("pathText", () => {
  it("writes paths as a user would", () => {
    expect(pathText([])).toBe("body")
    expect(pathText(["name"])).toBe("name")
    expect(pathText(["config", "list", 1])).toBe("config.list[1]")
    expect(pathText(["config", "a b", "c"])).toBe("config[\"a b\"].c")
    expect(pathText(["comment-x"])).toBe("\"comment-x\"")
    expect(pathText(["config", "k".repeat(100)])).toBe(`config.${"k".repeat(100)}`)
    expect(pathText(["config", "\u0000"])).toBe("config[\"\\u0000\"]")
  })
})

describe("readableDecodeError", () => {
  it.effect("one line per problem naming its field, no schema tree, and the issues kept", () =>
    Effect.gen(function*() {
      const error = yield* answer(ApplicationInput, { name: 42 })
      expect(error._tag).toBe("HttpApiDecodeError")
      expect(error.message).toBe("name: must be a string of 1 to 256 characters that is not blank")
      expect(error.issues).toEqual([
        { _tag: "Type", path: ["name"], message: "must be a string of 1 to 256 characters that is not blank" }
      ])
    }))

  it.effect("unknown fields, missing fields and several problems at once", () =>
    Effect.gen(function*() {
      const error = yield* answer(ConfigurationCreate, { comment: "x", name: " ", config: { a: [1, "\ud800"] } })
      expect(error.message).toBe(
        "comment: unknown field; application_id: is required; name: must not be blank; " +
          "config.a[1]: must be valid Unicode (no lone surrogate halves)"
      )
      expect(error.issues.map((issue) => issue._tag)).toEqual(["Unexpected", "Missing", "Refinement", "Type"])
      expect(error.issues[0]).toEqual({ _tag: "Unexpected", path: ["comment"], message: "unknown field" })
    }))

  it.effect("path and query parameters quote what was sent", () =>
    Effect.gen(function*() {
      expect((yield* answer(ApplicationPath, { id: "xyz" })).message)
        .toBe("id: must be a ULID (26 characters, Crockford base32), got \"xyz\"")
      expect((yield* answer(PageParams, { limit: "abc", after: "nope" })).message).toBe(
        "limit: must be an integer from 1 to 1000, got \"abc\"; " +
          "after: must be a ULID (26 characters, Crockford base32), got \"nope\""
      )
    }))

  it.effect("a body that is not an object", () =>
    Effect.gen(function*() {
      expect((yield* answer(ApplicationInput, [])).message).toBe("body: must be a JSON object")
    }))

  it("keeps at most maxIssues issues and maxLines lines, counting the rest", () => {
    const issues = Array.from({ length: 250 }, (_, i) => ({
      _tag: "Unexpected" as const,
      path: [`f${i}`],
      message: "is unexpected"
    }))
    const error = readableDecodeError(new HttpApiDecodeError({ issues, message: "tree" }))
    expect(error.issues).toHaveLength(maxIssues)
    expect(error.message.split("; ")).toHaveLength(maxLines + 1)
    expect(error.message).toMatch(/^f0: unknown field; f1: unknown field; .*; f9: unknown field; and 240 more$/)
  })
})
