import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/** A value sent by a client as a message shows it: JSON, cut short after `max` characters. */
export const quote = (actual: unknown, max = 40): string => {
  const text = JSON.stringify(actual) ?? String(actual)
  return text.length > max ? `${text.slice(0, max)}…` : text
}

/**
 * A `message` annotation: any failure inside the schema is reported as this one line and
 * the value that was sent, e.g. `must be an integer from 1 to 1000, got "abc"`.
 */
export const expecting = (expected: string) => ({
  message: (issue: ParseResult.ParseIssue) => ({ message: `${expected}, got ${quote(issue.actual)}`, override: true })
})

const messages = (issue: ParseResult.ParseIssue) =>
  Effect.map(ParseResult.ArrayFormatter.formatIssue(issue), (issues) => issues.map((i) => i.message).join("; "))

/**
 * `self` or null, failing with one message: `self`'s own for a string (its rules say what is
 * wrong with it), `expected` for anything else.
 */
export const nullOrText = <A>(self: Schema.Schema<A, string>, expected: string) => {
  const decode = ParseResult.decodeUnknownEither(self)
  return Schema.NullOr(self).annotations({
    message: (issue) => {
      const own = typeof issue.actual === "string" ? decode(issue.actual) : Either.right(undefined)
      return { message: Either.isLeft(own) ? messages(own.left) : expected, override: true }
    }
  })
}

/** How the API decodes what a client sends: unknown fields are refused and every problem is reported, not only the first. */
export const strictParse = { onExcessProperty: "error", errors: "all" } as const

/** Annotations of a request body: decoded with `strictParse`. */
export const requestBody = {
  parseOptions: strictParse,
  message: () => "must be a JSON object"
} as const
