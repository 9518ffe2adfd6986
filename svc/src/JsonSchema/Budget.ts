import { maxCollectedErrors, maxPatternSteps, workBudget } from "./Limits.js"

/** Why a check stopped before it could answer, and where in the configuration it was. */
export class BudgetExceeded {
  constructor(
    readonly kind: "work" | "patternSteps" | "patternText" | "errors" | "recursion" | "patternEngine" | "collecting",
    readonly path: string,
    readonly detail: string
  ) {}
}

/**
 * What the check running now has spent. Checks are synchronous and never nest, so one meter serves
 * them all; `metered` starts it afresh and the cost keyword, patterns and error counting charge it.
 */
const meter = { units: 0, unitLimit: workBudget, patternSteps: 0, errors: 0, base: "", suffix: "" }

export const metered = <A>(f: () => A, unitLimit = workBudget): A => {
  const saved = { ...meter }
  Object.assign(meter, { units: 0, unitLimit, patternSteps: 0, errors: 0, base: "", suffix: "" })
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

export const countError = () => {
  if (++meter.errors > maxCollectedErrors) {
    throw new BudgetExceeded("errors", currentPath(), `more than ${maxCollectedErrors.toLocaleString("en")} errors`)
  }
}
