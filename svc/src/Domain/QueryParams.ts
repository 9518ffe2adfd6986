import * as Schema from "effect/Schema"
import { strictParse } from "./Messages.js"
import { DecimalInt } from "./Numbers.js"

/**
 * Query parameters, decoded as bodies are (`strictParse`). `RequestCheck` refuses unknown names
 * before any decoding, with its own message; the schema refuses them too wherever it is used alone.
 */
export const queryParams = <Fields extends Schema.Struct.Fields>(fields: Fields) =>
  Schema.Struct(fields).annotations({ parseOptions: strictParse })

/** The longest a blocking read waits, in seconds. */
export const maxWaitSeconds = 60

/** `?wait=` of a blocking read, in seconds. */
export const WaitSeconds = DecimalInt(1, maxWaitSeconds)

/** The most items one page of a list holds. */
export const maxPageSize = 1000

/** `?limit=` of a paged list. */
export const PageLimit = DecimalInt(1, maxPageSize)

/** A revision as a client names it: `?after=` or `Last-Event-ID`. */
export const RevisionParam = DecimalInt(0, Number.MAX_SAFE_INTEGER)
