import { describe, expect, it } from "@effect/vitest"
import { DateTime, Either, Schema } from "effect"
import { Application, ApplicationInput } from "./Application.js"

describe("Application", () => {
  it("encodes to the API's snake_case JSON with ISO timestamps", () => {
    const app = Schema.decodeUnknownSync(Application)({
      id: "01ARZ3NDEKTSV4RRFFQ69G5FAV",
      name: "billing",
      comments: null,
      configuration_ids: ["01ARZ3NDEKTSV4RRFFQ69G5FAW"],
      created_at: "2026-01-02T03:04:05.678Z",
      updated_at: "2026-01-02T03:04:05.678Z",
      version: 1
    })
    expect(DateTime.toEpochMillis(app.created_at)).toBe(Date.parse("2026-01-02T03:04:05.678Z"))
    expect(Schema.encodeSync(Application)(app)).toEqual({
      id: "01ARZ3NDEKTSV4RRFFQ69G5FAV",
      name: "billing",
      comments: null,
      configuration_ids: ["01ARZ3NDEKTSV4RRFFQ69G5FAW"],
      created_at: "2026-01-02T03:04:05.678Z",
      updated_at: "2026-01-02T03:04:05.678Z",
      version: 1
    })
  })

  it("input takes a name and optional comments, and nothing else", () => {
    const decode = Schema.decodeUnknownEither(ApplicationInput)
    expect(decode({ name: "a" })).toEqual(Either.right({ name: "a" }))
    expect(decode({ name: "a", comments: null })).toEqual(Either.right({ name: "a", comments: null }))
    expect(Either.isLeft(decode({ name: "a", extra: 1 }))).toBe(true)
    expect(Either.isLeft(decode({ comments: "no name" }))).toBe(true)
  })
})
