import * as Schema from "effect/Schema"
import { ApplicationId } from "../Domain/Ids.js"
import { Timestamp } from "../Domain/Timestamp.js"
import { Actor } from "../Domain/Version.js"
import { maxSchemaBytes, maxSchemaDepth } from "./Limits.js"

/**
 * A JSON Schema as sent: taken as it is (the validator says why one is not a schema, with
 * `InvalidSchema`), never rebuilt, so every keyword is kept exactly as parsed.
 */
export const SchemaDocument = Schema.declare((_: unknown): _ is unknown => true, {
  identifier: "SchemaDocument",
  jsonSchema: { type: ["object", "boolean"] },
  description: "a JSON Schema (draft 2020-12, or draft-07 when its `$schema` says so): an object or a boolean; " +
    `at most ${maxSchemaBytes / 1024} KiB as sent and ${maxSchemaDepth} levels of nesting, ` +
    "no remote `$ref`, no `$data`",
  examples: [{ type: "object", properties: { retries: { type: "integer", minimum: 0 } }, required: ["retries"] }]
})

/** An application's JSON Schema as the API shows it. */
export const ApplicationSchema = Schema.Struct({
  application_id: ApplicationId,
  schema: SchemaDocument,
  version: Schema.Int,
  created_at: Timestamp,
  updated_at: Timestamp,
  actor: Actor
}).annotations({ identifier: "ApplicationSchema" })
