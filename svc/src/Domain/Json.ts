/** Deepest nesting of objects and arrays a configuration may have. */
export const maxJsonDepth = 100

/** Why a string cannot be stored faithfully in PostgreSQL text or jsonb, if it cannot. */
export const unstorableText = (s: string): string | undefined =>
  s.includes("\u0000")
    ? "must not contain NUL (\\u0000) characters"
    : s.isWellFormed()
    ? undefined
    : "must be valid Unicode (no lone surrogate halves)"

/**
 * The first reason a parsed JSON value cannot be stored as it was sent: NUL or lone
 * surrogates in a key or string, a number JSON.parse turned into ±Infinity (such as 1e400),
 * or nesting deeper than `maxJsonDepth`. Iterative, so depth cannot overflow the stack.
 */
export const jsonProblem = (root: unknown): string | undefined => {
  const stack: Array<{ readonly value: unknown; readonly depth: number; readonly path: string }> = [
    { value: root, depth: 0, path: "" }
  ]
  while (stack.length > 0) {
    const { depth, path, value } = stack.pop()!
    if (typeof value === "string") {
      const problem = unstorableText(value)
      if (problem) return `${path || "value"}: ${problem}`
    } else if (typeof value === "number") {
      if (!Number.isFinite(value)) return `${path || "value"}: number out of range (must fit a 64-bit float)`
    } else if (typeof value === "object" && value !== null) {
      if (depth >= maxJsonDepth) return `${path || "value"}: nested deeper than ${maxJsonDepth} levels`
      for (const [key, child] of Object.entries(value)) {
        const problem = unstorableText(key)
        if (problem) return `${path || "value"}: key ${JSON.stringify(key)} ${problem}`
        stack.push({ value: child, depth: depth + 1, path: Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}` })
      }
    }
  }
  return undefined
}

/** Whether objects and arrays in `root` nest deeper than `limit` levels. Iterative, so any depth is safe to ask about. */
export const nestedDeeperThan = (root: unknown, limit: number): boolean => {
  const stack: Array<{ readonly value: unknown; readonly depth: number }> = [{ value: root, depth: 0 }]
  while (stack.length > 0) {
    const { depth, value } = stack.pop()!
    if (typeof value !== "object" || value === null) continue
    if (depth >= limit) return true
    for (const child of Object.values(value)) stack.push({ value: child, depth: depth + 1 })
  }
  return false
}
