import { expect } from "@effect/vitest"
import { Schema, SchemaAST } from "effect"

/** The keys of a resource's JSON, in order: the property signatures of its Schema's encoded side. */
export const schemaKeys = (schema: Schema.Schema.Any) =>
  SchemaAST.getPropertySignatures(SchemaAST.encodedAST(schema.ast)).map((field) => String(field.name))

/**
 * Rendered JSON has exactly its Schema's keys, in the Schema's order, decodes with the Schema,
 * and encodes back to what was rendered.
 */
export const expectShape = <A, I>(schema: Schema.Schema<A, I>, json: string): A => {
  const rendered = JSON.parse(json)
  expect(Object.keys(rendered)).toEqual(schemaKeys(schema))
  const decoded = Schema.decodeUnknownSync(schema, { onExcessProperty: "error" })(rendered)
  expect(Schema.encodeSync(schema)(decoded)).toEqual(rendered)
  return decoded
}
