import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"

/**
 * A resource as the API's JSON, rendered by PostgreSQL in the statement that read or wrote
 * it, with its strong entity tag (quoted, as the `ETag` header carries it). Handlers send
 * `json` as it is; typed callers decode it with the resource's `typed`.
 */
export interface Rendered<Id extends string> {
  readonly id: Id
  readonly etag: string
  readonly json: string
}

/** SQL: an entity tag (an unquoted SQL text expression) quoted, as the `ETag` header carries it. */
export const quoted = (tag: string) => `'"' || ${tag} || '"'`

/** `to_char` of a `timestamptz` column as ISO-8601 UTC with milliseconds: the API's timestamp form. */
export const isoTimestamp = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/** SQL for each field of a resource's JSON: every field of its Schema's encoded side, and no other. */
export type SqlFields<S extends Schema.Schema.Any> = { readonly [K in keyof Schema.Schema.Encoded<S>]-?: string }

/** The fields of a resource's JSON in its Schema's order. */
const fieldNames = (schema: Schema.Schema.Any) =>
  SchemaAST.getPropertySignatures(SchemaAST.encodedAST(schema.ast)).map((field) => String(field.name))

const identifier = (name: string) => `"${name.replaceAll(`"`, `""`)}"`

/**
 * SQL: the select list whose `row_to_json` is a resource's JSON, each field rendered by its
 * expression, in the Schema's order. Build it once, beside the statement: PostgreSQL prepares
 * statements by their text.
 */
export const selectList = <S extends Schema.Schema.Any>(schema: S, fields: SqlFields<S>) => {
  const expressions: Record<string, string> = fields
  const names = fieldNames(schema)
  const unknown = Object.keys(expressions).filter((name) => !names.includes(name))
  const missing = names.filter((name) => expressions[name] === undefined)
  if (unknown.length + missing.length > 0) {
    throw new Error(`SQL fields of ${String(schema.ast)}: unknown ${unknown.join()}; missing ${missing.join()}`)
  }
  return names.map((name) => `${expressions[name]} AS ${identifier(name)}`).join(", ")
}

/**
 * Typed views of rendered reads and writes: each rendered resource decoded into the domain
 * type with its Schema. JSON that PostgreSQL rendered and does not fit is a defect.
 */
export const typedAs = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = Schema.decodeUnknown(Schema.parseJson(schema))
  const one = (rendered: { readonly json: string }) => Effect.orDie(decode(rendered.json))
  return {
    one: <E, R>(self: Effect.Effect<{ readonly json: string }, E, R>): Effect.Effect<A, E, R> => Effect.flatMap(self, one),
    all: <E, R>(self: Effect.Effect<ReadonlyArray<{ readonly json: string }>, E, R>): Effect.Effect<Array<A>, E, R> =>
      Effect.flatMap(self, (rows) => Effect.forEach(rows, one))
  }
}
