import * as Schema from "effect/Schema"
import { Timestamp } from "./Timestamp.js"
import { ApplicationId, ConfigurationId } from "./Ids.js"
import { requestBody } from "./Messages.js"
import { Comments, Name, NullableComments } from "./Text.js"

export class Application extends Schema.Class<Application>("Application")({
  id: ApplicationId,
  name: Name,
  comments: Schema.NullOr(Comments),
  configuration_ids: Schema.Array(ConfigurationId),
  created_at: Timestamp,
  updated_at: Timestamp,
  version: Schema.Int
}) {}

/** Body of `POST /applications` and `PUT /applications/{id}`. */
export const ApplicationInput = Schema.Struct({
  name: Name,
  comments: Schema.optionalWith(NullableComments, { exact: true })
}).annotations({ identifier: "ApplicationInput", ...requestBody })
export type ApplicationInput = typeof ApplicationInput.Type
