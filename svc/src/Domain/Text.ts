import { Schema } from "effect"

const codePoints = (s: string) => {
  let n = 0
  for (const _ of s) n++
  return n
}

const withoutNul = <S extends Schema.Schema.Any>(self: S) =>
  self.pipe(Schema.filter((s: string) => !s.includes("\u0000") || "must not contain NUL (\\u0000) characters"))

const maxCodePoints = (max: number) => <S extends Schema.Schema.Any>(self: S) =>
  self.pipe(Schema.filter((s: string) => codePoints(s) <= max || `must be at most ${max} characters`))

/** A resource name: 1 to 256 characters, not blank, no NUL. */
export const Name = Schema.String.pipe(
  Schema.filter((s) => s.trim().length > 0 || "must not be blank"),
  maxCodePoints(256),
  withoutNul
).annotations({ identifier: "Name", description: "1 to 256 characters, not blank", examples: ["billing-service"] })

/** Free text of at most 1024 characters, no NUL. */
export const Comments = Schema.String.pipe(maxCodePoints(1024), withoutNul).annotations({
  identifier: "Comments",
  description: "at most 1024 characters"
})
