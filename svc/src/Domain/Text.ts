import * as Schema from "effect/Schema"
import { unstorableText } from "./Json.js"
import { nullOrText } from "./Messages.js"

const codePoints = (s: string) => {
  let n = 0
  for (const _ of s) n++
  return n
}

/**
 * The longest name and comments, in characters (code points, as `varchar` counts them): must match the
 * `varchar` columns of migrations 0001 and 0004.
 */
export const maxNameLength = 256
export const maxCommentLength = 1024

/** JSON Schema for a string without NUL (lone surrogates, also refused, have no pattern). */
export const withoutNul = "^[^\\u0000]*$"

const storable = <S extends Schema.Schema.Any>(self: S) =>
  self.pipe(Schema.filter((s: string) => unstorableText(s) ?? true, { jsonSchema: { pattern: withoutNul } }))

/** At most `max` characters, counted as JSON Schema's `maxLength` counts them: Unicode code points. */
const maxCodePoints = (max: number) => <S extends Schema.Schema.Any>(self: S) =>
  self.pipe(
    Schema.filter((s: string) => codePoints(s) <= max || `must be at most ${max} characters`, {
      jsonSchema: { maxLength: max }
    })
  )

/** A resource name: 1 to `maxNameLength` characters, not blank, storable (no NUL, no lone surrogates). */
export const Name = Schema.String.annotations({
  message: () => `must be a string of 1 to ${maxNameLength} characters that is not blank`
}).pipe(
  Schema.filter((s) => s.trim().length > 0 || "must not be blank", {
    jsonSchema: { minLength: 1, pattern: "\\S" }
  }),
  maxCodePoints(maxNameLength),
  storable
).annotations({
  identifier: "Name",
  description: `1 to ${maxNameLength} characters, not all whitespace`,
  examples: ["billing-service"]
})

/** Free text of at most `maxCommentLength` characters, storable. */
export const Comments = Schema.String.annotations({
  message: () => `must be a string of at most ${maxCommentLength} characters`
}).pipe(maxCodePoints(maxCommentLength), storable).annotations({
  identifier: "Comments",
  description: `at most ${maxCommentLength} characters`,
  examples: ["the service that sends invoices"]
})

/** Comments in a request body: text, or null for none. */
export const NullableComments = nullOrText(Comments, `must be a string of at most ${maxCommentLength} characters, or null`)
