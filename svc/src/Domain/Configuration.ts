import * as Schema from "effect/Schema"
import { Timestamp } from "./Timestamp.js"
import { ApplicationId, ConfigurationId } from "./Ids.js"
import { isJsonObject, jsonProblem, maxJsonDepth } from "./Json.js"
import { requestBody } from "./Messages.js"
import { Comments, Name, NullableComments, withoutNul } from "./Text.js"

/**
 * A JSON object: name → any JSON value that PostgreSQL can store as sent (see `jsonProblem`).
 * Checked, never rebuilt, so every key — `__proto__` included — is kept exactly as parsed.
 */
export const ConfigObject = Schema.declare(isJsonObject, {
  identifier: "ConfigObject",
  message: () => "must be a JSON object",
  // Values may be any JSON; that strings inside them must not hold NUL either is said in the
  // description: JSON Schema says it only recursively, which generated clients cannot type.
  jsonSchema: { type: "object", propertyNames: { pattern: withoutNul }, additionalProperties: true },
  arbitrary: () => (fc) => fc.dictionary(fc.string(), fc.jsonValue()),
  pretty: () => (config) => JSON.stringify(config)
}).pipe(
  Schema.filter((config) => jsonProblem(config) ?? true, { jsonSchema: {} })
).annotations({
  identifier: "ConfigObject",
  description: "a JSON object; values may be any JSON value. No key or string may contain NUL (\\u0000), " +
    `numbers must fit a 64-bit float, and nesting stops at ${maxJsonDepth} levels`,
  examples: [{ feature_flags: { dark_mode: true }, retries: 3 }]
})
export type ConfigObject = typeof ConfigObject.Type

export class Configuration extends Schema.Class<Configuration>("Configuration")({
  id: ConfigurationId,
  application_id: ApplicationId,
  name: Name,
  comments: Schema.NullOr(Comments),
  config: ConfigObject,
  created_at: Timestamp,
  updated_at: Timestamp,
  version: Schema.Int
}) {}

/** Body of `POST /configurations`. */
export const ConfigurationCreate = Schema.Struct({
  application_id: ApplicationId,
  name: Name,
  comments: Schema.optionalWith(NullableComments, { exact: true }),
  config: ConfigObject
}).annotations({ identifier: "ConfigurationCreate", ...requestBody })
export type ConfigurationCreate = typeof ConfigurationCreate.Type

/**
 * Body of `PUT /configurations/{id}`. `application_id` may be repeated unchanged
 * (a read-modify-write client sends it back); a different one is refused.
 */
export const ConfigurationUpdate = Schema.Struct({
  application_id: Schema.optionalWith(ApplicationId, { exact: true }),
  name: Name,
  comments: Schema.optionalWith(NullableComments, { exact: true }),
  config: ConfigObject
}).annotations({ identifier: "ConfigurationUpdate", ...requestBody })
export type ConfigurationUpdate = typeof ConfigurationUpdate.Type
