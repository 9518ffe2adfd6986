import * as Either from "effect/Either"
import { isJsonObject } from "../Domain/Json.js"

export type Draft = "2020-12" | "draft-07"

const drafts = new Map<unknown, Draft>([
  ["https://json-schema.org/draft/2020-12/schema", "2020-12"],
  ["https://json-schema.org/draft/2020-12/schema#", "2020-12"],
  ["http://json-schema.org/draft-07/schema", "draft-07"],
  ["http://json-schema.org/draft-07/schema#", "draft-07"]
])

/** The draft a schema is written in, from its `$schema` (2020-12 when it names none), or why it is none we know. */
export const draftOf = (schema: unknown): Either.Either<Draft, string> => {
  const declared = isJsonObject(schema) ? schema.$schema : undefined
  if (declared === undefined) return Either.right("2020-12")
  const draft = drafts.get(declared)
  return draft
    ? Either.right(draft)
    : Either.left(
      `$schema ${JSON.stringify(declared)} is not supported: name https://json-schema.org/draft/2020-12/schema ` +
        `(the default) or http://json-schema.org/draft-07/schema#`
    )
}
