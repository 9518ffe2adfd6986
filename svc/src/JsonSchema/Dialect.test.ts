import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import { draftOf } from "./Dialect.js"

describe("Schemas/Dialect", () => {
  it("is draft 2020-12 unless $schema names draft-07", () => {
    expect(draftOf({})).toEqual(Either.right("2020-12"))
    expect(draftOf(true)).toEqual(Either.right("2020-12"))
    expect(draftOf({ $schema: "https://json-schema.org/draft/2020-12/schema" })).toEqual(Either.right("2020-12"))
    expect(draftOf({ $schema: "https://json-schema.org/draft/2020-12/schema#" })).toEqual(Either.right("2020-12"))
    expect(draftOf({ $schema: "http://json-schema.org/draft-07/schema#" })).toEqual(Either.right("draft-07"))
    expect(draftOf({ $schema: "http://json-schema.org/draft-07/schema" })).toEqual(Either.right("draft-07"))
  })

  it("names any other $schema as unsupported", () => {
    const others = [
      "http://json-schema.org/draft-04/schema#",
      "https://json-schema.org/draft/2019-09/schema",
      "constructor",
      7
    ]
    for (const declared of others) {
      const result = draftOf({ $schema: declared })
      expect(Either.isLeft(result) && result.left).toContain(`$schema ${JSON.stringify(declared)} is not supported`)
    }
  })
})
