import * as Schema from "effect/Schema"

/** Query parameters: unknown ones are refused, as unknown body fields are, and every problem is reported. */
export const queryParams = <Fields extends Schema.Struct.Fields>(fields: Fields) =>
  Schema.Struct(fields).annotations({ parseOptions: { onExcessProperty: "error", errors: "all" } })
