import * as Schema from "effect/Schema"
import { expecting } from "./Messages.js"

const decimalDigits = /^[0-9]+$/

/**
 * An integer from `min` to `max` in a path or query string, written in plain decimal digits:
 * no sign, spaces, fraction, exponent (`1e2`) or radix prefix (`0x10`).
 */
export const DecimalInt = (min: number, max: number) => {
  const range = `an integer from ${min} to ${max}`
  return Schema.transform(
    Schema.String.pipe(Schema.pattern(decimalDigits)).annotations({
      description: `${range}, in decimal digits`,
      jsonSchema: { type: "integer", minimum: min, maximum: max }
    }),
    Schema.Int.pipe(Schema.between(min, max)),
    { strict: true, decode: Number, encode: String }
  ).annotations(expecting(`must be ${range}`))
}
