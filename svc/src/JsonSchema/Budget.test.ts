import { describe, expect, it } from "@effect/vitest"
import {
  BudgetExceeded,
  charge,
  chargePatternSteps,
  chargePatternTime,
  CheckAbandoned,
  countError,
  currentPath,
  enter,
  metered,
  spentByLast
} from "./Budget.js"
import { maxCollectedErrors, maxPatternSteps, patternMillisGuard, workBudget } from "./Limits.js"

const stopped = (f: () => unknown): BudgetExceeded => {
  try {
    f()
  } catch (e) {
    if (e instanceof BudgetExceeded) return e
    throw e
  }
  throw new Error("not stopped")
}

describe("Schemas/Budget", () => {
  it("stops a check past its units, saying where it was", () => {
    const error = stopped(() =>
      metered(() => {
        enter("/items", "/7", 5)
        charge(6)
      }, 10)
    )
    expect(error).toEqual(new BudgetExceeded("work", "/items/7", "more than 10 steps"))
    expect(spentByLast()).toBe(11)
  })

  it("gives each check a fresh meter, the default budget, and puts back the one it interrupted", () => {
    metered(() => {
      charge(workBudget - 1)
      metered(() => {
        enter("", "/inner", 1)
        expect(currentPath()).toBe("/inner")
      })
      expect(spentByLast()).toBe(1)
      expect(currentPath()).toBe("")
      expect(stopped(() => charge(2)).kind).toBe("work")
    })
  })

  it("stops a check past its steps of regular expressions or its errors collected", () => {
    expect(stopped(() => metered(() => chargePatternSteps(maxPatternSteps + 1))).kind).toBe("patternSteps")
    expect(metered(() => chargePatternSteps(maxPatternSteps))).toBeUndefined()
    metered(() => chargePatternSteps(maxPatternSteps))
    expect(metered(() => chargePatternSteps(maxPatternSteps))).toBeUndefined()
    expect(() => metered(() => chargePatternTime(patternMillisGuard + 1))).toThrow(CheckAbandoned)
    expect(metered(() => chargePatternTime(patternMillisGuard))).toBeUndefined()
    expect(metered(() => chargePatternTime(patternMillisGuard + 1), workBudget, false)).toBeUndefined()
    const tooMany = stopped(() =>
      metered(() => {
        for (let i = 0; i <= maxCollectedErrors; i++) countError()
      })
    )
    expect(tooMany.kind).toBe("errors")
  })
})
