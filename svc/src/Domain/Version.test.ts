import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { Change, Changes, Version } from "./Version.js"

const version = {
  configuration_id: "01ARZ3NDEKTSV4RRFFQ69G5FAW",
  application_id: "01ARZ3NDEKTSV4RRFFQ69G5FAV",
  version: 3,
  revision: 12,
  op: "restore",
  name: "production",
  comments: null,
  config: { retries: 3 },
  actor: "deploy-bot",
  created_at: "2024-05-01T10:00:00.000Z"
}

describe("Version", () => {
  const decode = Schema.decodeUnknownEither(Version)

  it("a version carries its configuration's state, its op, number, revision and actor", () => {
    expect(Either.isRight(decode(version))).toBe(true)
    expect(Either.isRight(decode({ ...version, actor: null, op: "delete" }))).toBe(true)
  })

  it("op is one of create, update, delete, restore; versions start at 1; revisions are whole numbers", () => {
    for (const bad of [{ op: "rename" }, { version: 0 }, { revision: -1 }, { revision: 1.5 }, { config: [] }]) {
      expect(Either.isLeft(decode({ ...version, ...bad })), JSON.stringify(bad)).toBe(true)
    }
  })

  it("a change is a version without its content; a page of changes carries the current revision", () => {
    const { application_id: _a, comments: _c, config: _k, ...change } = version
    expect(Either.isRight(Schema.decodeUnknownEither(Change)(change))).toBe(true)
    expect(Schema.decodeUnknownSync(Changes)({ revision: 12, changes: [change] }).changes[0]!.revision).toBe(12)
    expect(Either.isLeft(Schema.decodeUnknownEither(Changes)({ changes: [] }))).toBe(true)
  })
})
