import * as Schema from "effect/Schema"
import { DecimalInt } from "./Numbers.js"

/** Query parameters: unknown ones are refused, as unknown body fields are, and every problem is reported. */
export const queryParams = <Fields extends Schema.Struct.Fields>(fields: Fields) =>
  Schema.Struct(fields).annotations({ parseOptions: { onExcessProperty: "error", errors: "all" } })

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
