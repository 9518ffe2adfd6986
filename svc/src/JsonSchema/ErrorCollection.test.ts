import { describe, expect, it } from "@effect/vitest"
import { makeAjv } from "./Ajv.js"
import { BudgetExceeded, metered } from "./Budget.js"
import { boundErrorCollection, errorCollectionHelpers } from "./ErrorCollection.js"
import { maxCollectedErrors } from "./Limits.js"

describe("Schemas/ErrorCollection", () => {
  it("rewrites Ajv's merging of errors to append in place and count", () => {
    const code = "if(!v(x)){vErrors = vErrors === null ? v.errors : vErrors.concat(v.errors);errors = vErrors.length;}" +
      "else{errors++;}"
    expect(boundErrorCollection(code)).toBe(
      "if(!v(x)){vErrors = vErrors === null ? v.errors : self.appendErrors(vErrors, v.errors);errors = vErrors.length;}" +
        "else{errors++;self.countError();}"
    )
  })

  it("is what the validators that collect every error run", () => {
    const validate = makeAjv("2020-12", true).compile({
      $defs: { s: { type: "string" } },
      type: "array",
      items: { $ref: "#/$defs/s" }
    })
    expect(validate.toString()).toContain("self.appendErrors(vErrors, ")
    expect(validate.toString()).toContain("self.countError()")
    expect(validate.toString()).not.toContain(".concat(")
  })

  it("appends in place, stopping the check past the errors it may collect", () => {
    const errors = metered(() => errorCollectionHelpers.appendErrors(["a"], ["b", "c"]))
    expect(errors).toEqual(["a", "b", "c"])
    expect(() =>
      metered(() => errorCollectionHelpers.appendErrors([], Array(maxCollectedErrors + 1).fill("e")))
    ).toThrow(BudgetExceeded)
  })
})
