import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { ChangesParams, DiffParams, HistoryApi, VersionPath, VersionsParams } from "./Api.js"

describe("History/Api", () => {
  it("the group holds the five history endpoints", () => {
    expect(Object.keys(HistoryApi.endpoints).sort()).toEqual(["changes", "diff", "restore", "version", "versions"])
  })

  it("version numbers are decimal digits from 1 to 2147483647", () => {
    const decode = Schema.decodeUnknownEither(VersionPath)
    const id = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
    expect(decode({ id, version: "2147483647" })).toEqual(Either.right({ id, version: 2_147_483_647 }))
    for (const version of ["0", "2147483648", "1e3", "-1", "1.0", ""]) {
      expect(Either.isLeft(decode({ id, version })), version).toBe(true)
    }
    expect(Either.isLeft(Schema.decodeUnknownEither(DiffParams)({ to: "0" }))).toBe(true)
  })

  it("query parameters: limit 1 to 1000, before a version, after a revision from 0, wait 1 to 60; no others", () => {
    const versions = Schema.decodeUnknownEither(VersionsParams)
    expect(versions({ limit: "1000", before: "5" })).toEqual(Either.right({ limit: 1000, before: 5 }))
    expect(versions({})).toEqual(Either.right({}))
    const changes = Schema.decodeUnknownEither(ChangesParams)
    expect(changes({ after: "0", limit: "1", wait: "60" })).toEqual(Either.right({ after: 0, limit: 1, wait: 60 }))
    const bads = [{ limit: "0" }, { limit: "1001" }, { wait: "0" }, { wait: "61" }, { after: "-1" }, { since: "1" }]
    for (const bad of bads) {
      expect(Either.isLeft(changes(bad)), JSON.stringify(bad)).toBe(true)
    }
  })
})
