import * as Schema from "effect/Schema"
import { ApplicationId, ConfigurationId } from "./Ids.js"
import { Comments, Name } from "./Text.js"

export class Application extends Schema.Class<Application>("Application")({
  id: ApplicationId,
  name: Name,
  comments: Schema.NullOr(Comments),
  configuration_ids: Schema.Array(ConfigurationId),
  created_at: Schema.DateTimeUtc,
  updated_at: Schema.DateTimeUtc,
  version: Schema.Int
}) {}

const strict = { parseOptions: { onExcessProperty: "error" } } as const

/** Body of `POST /applications` and `PUT /applications/{id}`. */
export const ApplicationInput = Schema.Struct({
  name: Name,
  comments: Schema.optional(Schema.NullOr(Comments))
}).annotations({ identifier: "ApplicationInput", ...strict })
export type ApplicationInput = typeof ApplicationInput.Type
