import * as Schema from "effect/Schema"
import { unstorableText } from "./Json.js"
import { nullOrText } from "./Messages.js"

const codePoints = (s: string) => {
  let n = 0
  for (const _ of s) n++
  return n
}

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

/** A resource name: 1 to 256 characters, not blank, storable (no NUL, no lone surrogates). */
export const Name = Schema.String.annotations({
  message: () => "must be a string of 1 to 256 characters that is not blank"
}).pipe(
  Schema.filter((s) => s.trim().length > 0 || "must not be blank", {
    jsonSchema: { minLength: 1, pattern: "\\S" }
  }),
  maxCodePoints(256),
  storable
).annotations({
  identifier: "Name",
  description: "1 to 256 characters, not all whitespace",
  examples: ["billing-service"]
})

/** Free text of at most 1024 characters, storable. */
export const Comments = Schema.String.annotations({
  message: () => "must be a string of at most 1024 characters"
}).pipe(maxCodePoints(1024), storable).annotations({
  identifier: "Comments",
  description: "at most 1024 characters",
  examples: ["the service that sends invoices"]
})

/** Comments in a request body: text, or null for none. */
export const NullableComments = nullOrText(Comments, "must be a string of at most 1024 characters, or null")
