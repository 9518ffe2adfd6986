import { quote } from "./Messages.js"

/** Deepest nesting of objects and arrays a configuration may have. */
export const maxJsonDepth = 100

/** A JSON object (not an array, not null). */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** A property name as one token of a JSON Pointer (RFC 6901): `~` and `/` escaped. */
export const pointerToken = (name: string) => name.replaceAll("~", "~0").replaceAll("/", "~1")

/** Why a string cannot be stored faithfully in PostgreSQL text or jsonb, if it cannot. */
export const unstorableText = (s: string): string | undefined =>
  s.includes("\u0000")
    ? "must not contain NUL (\\u0000) characters"
    : s.isWellFormed()
    ? undefined
    : "must be valid Unicode (no lone surrogate halves)"

/** Where in a JSON value a problem is (keys and array indexes from the root) and what it is. */
export interface JsonProblem {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

/** A step into a JSON value, linked to the step before it: no path is built unless a problem is found. */
interface Segment {
  readonly parent: Segment | undefined
  readonly key: string | number
}

const pathOf = (at: Segment | undefined): Array<string | number> => {
  const path: Array<string | number> = []
  for (let step = at; step !== undefined; step = step.parent) path.unshift(step.key)
  return path
}

/**
 * The first reason a parsed JSON value cannot be stored as it was sent: NUL or lone
 * surrogates in a key or string, a number JSON.parse turned into ±Infinity (such as 1e400),
 * or nesting deeper than `maxJsonDepth` (reported at the root: that path would be as long as the
 * nesting). Iterative, so depth cannot overflow the stack.
 */
export const jsonProblem = (root: unknown): JsonProblem | undefined => {
  const stack: Array<{ readonly value: unknown; readonly depth: number; readonly at: Segment | undefined }> = [
    { value: root, depth: 0, at: undefined }
  ]
  while (stack.length > 0) {
    const { at, depth, value } = stack.pop()!
    if (typeof value === "string") {
      const problem = unstorableText(value)
      if (problem) return { path: pathOf(at), message: problem }
    } else if (typeof value === "number") {
      if (!Number.isFinite(value)) return { path: pathOf(at), message: "number out of range (must fit a 64-bit float)" }
    } else if (typeof value === "object" && value !== null) {
      if (depth >= maxJsonDepth) return { path: [], message: `nested deeper than ${maxJsonDepth} levels` }
      const isArray = Array.isArray(value)
      for (const [key, child] of Object.entries(value)) {
        const problem = unstorableText(key)
        if (problem) return { path: pathOf(at), message: `key ${quote(key)} ${problem}` }
        stack.push({ value: child, depth: depth + 1, at: { parent: at, key: isArray ? Number(key) : key } })
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
