import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import { JsonPatch, jsonPatchMediaType } from "./JsonPatch.js"

describe("JsonPatch", () => {
  const decode = Schema.decodeUnknownEither(JsonPatch)

  it("holds add, remove and replace operations, each with a path", () => {
    const patch = [
      { op: "add", path: "/a", value: [1] },
      { op: "remove", path: "/b" },
      { op: "replace", path: "", value: {} }
    ]
    expect(decode(patch)).toEqual(Either.right(patch))
    const bads = [[{ op: "move", path: "/a", from: "/b" }], [{ op: "test", path: "/a", value: 1 }], [{ op: "remove" }]]
    for (const bad of bads) {
      expect(Either.isLeft(decode(bad)), JSON.stringify(bad)).toBe(true)
    }
  })

  it("is sent as application/json-patch+json", () => {
    expect(jsonPatchMediaType).toBe("application/json-patch+json")
    expect(HttpApiSchema.getEncoding(JsonPatch.ast)).toEqual({ kind: "Json", contentType: jsonPatchMediaType })
  })
})
