import type { RegExpEngine } from "ajv/dist/types/index.js"
import { BudgetExceeded, charge, chargePatternSteps, chargePatternTime, currentPath } from "./Budget.js"
import { maxPatterns, maxPatternSize, maxPatternWork, maxSchemaPatternSize } from "./Limits.js"
import { patternSize } from "./PatternSize.js"
import * as Re2Runtime from "./Re2Runtime.js"

/** A `pattern` (or `patternProperties` name) of a compiled schema, tested on RE2 within the meter. */
export class Pattern {
  readonly maxText: number

  constructor(readonly source: string, readonly size: number) {
    this.maxText = Math.floor(maxPatternWork / Math.max(size, 1))
  }

  test(text: string): boolean {
    if (text.length > this.maxText) {
      throw new BudgetExceeded(
        "patternText",
        currentPath(),
        `is too long to check against the pattern ${JSON.stringify(this.source)}: ` +
          `at most ${this.maxText.toLocaleString("en")} characters`
      )
    }
    charge(8 + text.length / 8)
    chargePatternSteps(this.size * Math.max(text.length, 1))
    const started = performance.now()
    const matches = Re2Runtime.test(this, this.source, this.size, text)
    chargePatternTime(performance.now() - started)
    return matches
  }

  toString() {
    return `/${this.source}/u`
  }
}

const quoted = (source: string) => JSON.stringify(source.length > 80 ? `${source.slice(0, 80)}…` : source)

/**
 * The regular-expression engine for one compilation: RE2 instead of JavaScript's backtracking one, and
 * refusing (with the reason, which becomes the schema's error) what it cannot run or that is too large.
 */
export const patternEngine = (): RegExpEngine => {
  const seen = new Map<string, Pattern>()
  let total = 0
  const engine = (source: string) => {
    const known = seen.get(source)
    if (known) return known
    if (seen.size >= maxPatterns) throw new Error(`more than ${maxPatterns} different patterns`)
    const size = patternSize(source)
    if (size > maxPatternSize) {
      throw new Error(`pattern ${quoted(source)} is too large for the linear-time engine (its repetitions expand to ` +
        `about ${Math.round(size).toLocaleString("en")} steps; at most ${maxPatternSize.toLocaleString("en")})`)
    }
    total += size
    if (total > maxSchemaPatternSize) {
      const most = maxSchemaPatternSize.toLocaleString("en")
      throw new Error(`the patterns together are too large for the linear-time engine (at most ${most} steps)`)
    }
    const pattern = new Pattern(source, size)
    try {
      Re2Runtime.expression(pattern, source, size)
    } catch (e) {
      throw new Error(`pattern ${quoted(source)} is not a regular expression the linear-time engine (RE2, without ` +
        `lookaround or backreferences) accepts: ${e instanceof Error ? e.message : String(e)}`)
    }
    seen.set(source, pattern)
    return pattern
  }
  return Object.assign(engine, { code: "re2-wasm" })
}
