import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { WaitParams, WatchHeaders, WatchParams } from "./Params.js"

describe("Watch/Params", () => {
  it("wait is 1 to 60 seconds in decimal digits; nothing else is accepted", () => {
    const decode = Schema.decodeUnknownEither(WaitParams)
    expect(decode({})).toEqual(Either.right({}))
    expect(decode({ wait: "1" })).toEqual(Either.right({ wait: 1 }))
    expect(decode({ wait: "60" })).toEqual(Either.right({ wait: 60 }))
    for (const bad of [{ wait: "0" }, { wait: "61" }, { wait: "1.0" }, { wait: " 5" }, { wait: "5", other: "x" }]) {
      expect(Either.isLeft(decode(bad)), JSON.stringify(bad)).toBe(true)
    }
  })

  it("after and Last-Event-ID are revisions: 0 or more, in decimal digits", () => {
    expect(Schema.decodeUnknownEither(WatchParams)({ after: "0" })).toEqual(Either.right({ after: 0 }))
    expect(Either.isLeft(Schema.decodeUnknownEither(WatchParams)({ after: "-1" }))).toBe(true)
    expect(Schema.decodeUnknownEither(WatchHeaders)({ "last-event-id": "42", accept: "text/event-stream" }))
      .toEqual(Either.right({ "last-event-id": 42 }))
    expect(Either.isLeft(Schema.decodeUnknownEither(WatchHeaders)({ "last-event-id": "4x" }))).toBe(true)
  })
})
