import { HttpApiSchema } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import * as Schema from "effect/Schema"
import { ConfigurationInvalid, InvalidSchema, ValidationResult } from "./Errors.js"

const issue = (i: number) => ({ path: `/items/${i}`, keyword: "type", message: "must be a string" })

describe("Schemas/Errors", () => {
  it("an invalid schema is a 400 and a non-conforming configuration a 422", () => {
    expect(HttpApiSchema.getStatusError(InvalidSchema)).toBe(400)
    expect(HttpApiSchema.getStatusError(ConfigurationInvalid)).toBe(422)
  })

  it("InvalidSchema says why", () => {
    const error = InvalidSchema.of("unknown keyword: \"foo\"")
    expect(error._tag).toBe("InvalidSchema")
    expect(error.message).toBe("invalid JSON Schema: unknown keyword: \"foo\"")
  })

  it("ConfigurationInvalid lists the errors and counts them", () => {
    expect(ConfigurationInvalid.of([issue(0)]).message).toMatch(/schema: 1 error$/)
    expect(ConfigurationInvalid.of([issue(0), issue(1)]).message).toMatch(/schema: 2 errors$/)
    const capped = ConfigurationInvalid.of(Array.from({ length: 50 }, (_, i) => issue(i)))
    expect(capped.message).toMatch(/50 or more errors \(the first 50 are listed\)$/)
    expect(capped.errors).toHaveLength(50)
  })

  it("is built from a failed validation, and not from one that passed", () => {
    expect(ConfigurationInvalid.fromResult({ valid: true, errors: [] })).toBeUndefined()
    const error = ConfigurationInvalid.fromResult({ valid: false, errors: [issue(3)] })
    expect(error?._tag).toBe("ConfigurationInvalid")
    expect(error?.errors).toEqual([issue(3)])
  })

  it("encodes to the JSON the API sends", () => {
    const encoded = Schema.encodeSync(ConfigurationInvalid)(ConfigurationInvalid.of([issue(1)]))
    expect(encoded).toEqual({
      _tag: "ConfigurationInvalid",
      message: "the configuration does not conform to the application's schema: 1 error",
      errors: [issue(1)]
    })
    expect(() => Schema.decodeUnknownSync(ValidationResult)({ valid: false, errors: Array(51).fill(issue(0)) }))
      .toThrow(/at most 50/)
  })
})
