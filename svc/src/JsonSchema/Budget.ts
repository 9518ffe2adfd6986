import { maxCollectedErrors, maxPatternSteps, patternMillisGuard, workBudget } from "./Limits.js"

/** Why a check stopped before it could answer, and where in the configuration it was. */
export class BudgetExceeded {
  constructor(
    readonly kind: "work" | "patternSteps" | "patternText" | "errors" | "recursion" | "patternEngine" | "collecting",
    readonly path: string,
    readonly detail: string
  ) {}
}

/**
 * A check given up after `patternMillisGuard` of time in RE2: says nothing about the configuration
 * (how long RE2 takes depends on the machine too), so it is never turned into a validation answer.
 */
export class CheckAbandoned {
  constructor(readonly path: string) {}
}

/**
 * What the check running now has spent. Checks are synchronous and never nest, so one meter serves
 * them all; `metered` starts it afresh and the cost keyword, patterns and error counting charge it.
 */
const meter = { units: 0, unitLimit: workBudget, patternSteps: 0, patternMillis: 0, guarded: true, errors: 0, base: "", suffix: "" }

/** Runs a check on a fresh meter; `guarded: false` for checks too small to need `patternMillisGuard` (and answers that must not depend on time). */
export const metered = <A>(f: () => A, unitLimit = workBudget, guarded = true): A => {
  const saved = { ...meter }
  Object.assign(meter, { units: 0, unitLimit, patternSteps: 0, patternMillis: 0, guarded, errors: 0, base: "", suffix: "" })
  try {
    return f()
  } finally {
    lastSpent = meter.units
    Object.assign(meter, saved)
  }
}

let lastSpent = 0

/** Units the last check that finished spent. */
export const spentByLast = () => lastSpent

/** Where the check is now: the cost keyword records it, in two parts, for every subschema it enters. */
export const currentPath = () => meter.base + meter.suffix

export const enter = (base: string, suffix: string, units: number) => {
  meter.base = base
  meter.suffix = suffix
  charge(units)
}

export const charge = (units: number) => {
  meter.units += units
  if (meter.units > meter.unitLimit) {
    throw new BudgetExceeded("work", currentPath(), `more than ${meter.unitLimit.toLocaleString("en")} steps`)
  }
}

/** Steps of a regular expression over a text: the pattern's size times the text's length. */
export const chargePatternSteps = (steps: number) => {
  meter.patternSteps += steps
  if (meter.patternSteps > maxPatternSteps) {
    const most = maxPatternSteps.toLocaleString("en")
    throw new BudgetExceeded("patternSteps", currentPath(), `more than ${most} steps of its regular expressions`)
  }
}

/** Time RE2 took for one test; past `patternMillisGuard` in one check, the check is abandoned. */
export const chargePatternTime = (millis: number) => {
  meter.patternMillis += millis
  if (meter.guarded && meter.patternMillis > patternMillisGuard) throw new CheckAbandoned(currentPath())
}

export const countError = () => {
  if (++meter.errors > maxCollectedErrors) {
    throw new BudgetExceeded("errors", currentPath(), `more than ${maxCollectedErrors.toLocaleString("en")} errors`)
  }
}
