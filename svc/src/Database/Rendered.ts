import { Effect, type ParseResult, Schema } from "effect"

/**
 * A resource as the API's JSON, rendered by PostgreSQL in the statement that read or wrote
 * it, with what its ETag is made of. Handlers send `json` as it is; typed callers decode it.
 */
export interface Rendered<Id extends string> {
  readonly id: Id
  readonly version: number
  /** Digest of the application's configuration ids (applications only; see `ETag`). */
  readonly digest?: string
  readonly json: string
}

/** `to_char` of a `timestamptz` column as ISO-8601 UTC with milliseconds: the API's timestamp form. */
export const isoTimestamp = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/** Decodes a rendered resource (or a list of them) into its domain type. */
export const decodeRendered = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = Schema.decodeUnknown(Schema.parseJson(schema))
  return <Id extends string>(rendered: Rendered<Id>): Effect.Effect<A, ParseResult.ParseError> => decode(rendered.json)
}

