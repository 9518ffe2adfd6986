import * as Schema from "effect/Schema"
import { ConfigObject } from "./Configuration.js"
import { ApplicationId, ConfigurationId } from "./Ids.js"
import { Comments, Name } from "./Text.js"
import { Timestamp } from "./Timestamp.js"

/** What a write did to its configuration. */
export const Op = Schema.Literal("create", "update", "delete", "restore").annotations({
  identifier: "Op",
  description: "what the write did; a `delete` version keeps the deleted state"
})
export type Op = typeof Op.Type

/** Who wrote: the name of the API key used, or null while the API is open. Never a secret. */
export const Actor = Schema.NullOr(Schema.String).annotations({
  identifier: "Actor",
  description: "the name of the API key that wrote (API_KEYS), or null while the API is open"
})
export type Actor = typeof Actor.Type

/** A configuration's version number: 1 on create, then +1 on every write, across a delete and a restore. */
export const VersionNumber = Schema.Int.pipe(Schema.greaterThanOrEqualTo(1))

/** An application's change counter: its first configuration write is revision 1, then 2, 3 … with no gaps. */
export const Revision = Schema.Int.pipe(Schema.greaterThanOrEqualTo(0))

/** One immutable version of a configuration; a `delete` version carries the deleted state. */
export class Version extends Schema.Class<Version>("Version")({
  configuration_id: ConfigurationId,
  application_id: ApplicationId,
  version: VersionNumber,
  revision: Revision,
  op: Op,
  name: Name,
  comments: Schema.NullOr(Comments),
  config: ConfigObject,
  actor: Actor,
  created_at: Timestamp
}) {}

/** A configuration write as an application's change feed lists it. */
export class Change extends Schema.Class<Change>("Change")({
  revision: Revision,
  configuration_id: ConfigurationId,
  name: Name,
  version: VersionNumber,
  op: Op,
  actor: Actor,
  created_at: Timestamp
}) {}

/** An application's changes after a revision, in revision order, with its current revision. */
export class Changes extends Schema.Class<Changes>("Changes")({
  revision: Revision,
  changes: Schema.Array(Change)
}) {}
