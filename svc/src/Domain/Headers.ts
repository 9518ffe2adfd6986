import * as Context from "effect/Context"
import * as Schema from "effect/Schema"

/**
 * Which conditional header an operation honours: a `read` answers 304 while `If-None-Match`
 * names its current `ETag`; a `write` happens only while `If-Match` does (else 412). The
 * handlers read the header; the API document declares it from this annotation.
 */
export class Conditional extends Context.Tag("Domain/Conditional")<Conditional, "read" | "write">() {}

/** Query parameters: unknown ones are refused, as unknown body fields are, and every problem is reported. */
export const queryParams = <Fields extends Schema.Struct.Fields>(fields: Fields) =>
  Schema.Struct(fields).annotations({ parseOptions: { onExcessProperty: "error", errors: "all" } })
