import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import type { HttpMethod } from "@effect/platform/HttpMethod"
import * as Schema from "effect/Schema"
import { conditionalWrite, createdAt, pagedAs } from "../ApiDocument.js"
import { onApplication } from "../Applications/Api.js"
import { onConfiguration } from "../Configurations/Api.js"
import { Configuration } from "../../Domain/Configuration.js"
import {
  ChangesPruned,
  ConfigurationNameTaken,
  ConfigurationNotFound,
  PreconditionFailed,
  TooManyWatchers,
  VersionNotFound,
  VersionPruned
} from "../../Domain/Errors.js"
import { ConfigurationId, exampleId } from "../../Domain/Ids.js"
import { configurationUrl, versionsPageUrl } from "../Urls.js"
import { JsonPatch } from "../../Domain/JsonPatch.js"
import { DecimalInt } from "../../Domain/Numbers.js"
import { maxPageSize, maxWaitSeconds, PageLimit, queryParams, RevisionParam, WaitSeconds } from "../../Domain/QueryParams.js"
import { Changes, Version } from "../../Domain/Version.js"
import { ConfigurationInvalid } from "../../JsonSchema/Errors.js"
import { described, onResource, storedGroup } from "../Endpoints.js"

/** The highest version number PostgreSQL's `integer` holds. */
const maxVersion = 2_147_483_647

const versionNumber = (description: string) => DecimalInt(1, maxVersion).annotations({ description })

export const VersionPath = Schema.Struct({ id: ConfigurationId, version: versionNumber("the version's number") })

/** An endpoint on one version of a configuration, `/configurations/:id/versions/:version…`: 404 for either, 410 when retention removed it. */
const onVersion = <Name extends string, Method extends HttpMethod, Query, Payload, Headers, Success, E, R, RE>(
  endpoint: HttpApiEndpoint.HttpApiEndpoint<Name, Method, never, Query, Payload, Headers, Success, E, R, RE>
) => onResource(VersionPath, ConfigurationNotFound)(endpoint).addError(VersionNotFound).addError(VersionPruned)

const optional = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

export const VersionsParams = queryParams({
  limit: optional(
    PageLimit.annotations({ description: `page size, 1 to ${maxPageSize}; without it every version is returned` })
  ),
  before: optional(versionNumber("return versions numbered below this one"))
})
export type VersionsParams = typeof VersionsParams.Type

export const DiffParams = queryParams({
  to: optional(versionNumber("the version to compare with; without it the latest"))
})

export const ChangesParams = queryParams({
  after: optional(
    RevisionParam.annotations({ description: "return changes after this revision; default 0" })
  ),
  limit: optional(PageLimit.annotations({ description: `at most this many changes, 1 to ${maxPageSize}` })),
  wait: optional(
    WaitSeconds.annotations({
      description: `seconds, 1 to ${maxWaitSeconds}: with no change after \`after\`, hold the request until one ` +
        "commits or this ends"
    })
  )
})
export type ChangesParams = typeof ChangesParams.Type

export class HistoryApi extends HttpApiGroup.make("history")
  .add(
    HttpApiEndpoint.get("versions", "/configurations/:id/versions")
      .pipe(onConfiguration)
      .setUrlParams(VersionsParams)
      .addSuccess(Schema.Array(Version))
      .pipe(described("List a configuration's versions",
        "Newest first, also after the configuration was deleted (its last version is then a `delete`). With " +
          "`limit`, one page; a `Link: <…>; rel=\"next\"` header points at the next page while more remain.",
        pagedAs(versionsPageUrl(exampleId, 10, 41))))
  )
  .add(
    HttpApiEndpoint.get("version", "/configurations/:id/versions/:version")
      .pipe(onVersion)
      .addSuccess(Version)
      .pipe(described("Read one version of a configuration",
        "Versions never change. 410 `VersionPruned` when retention (HISTORY_KEEP_VERSIONS) removed it."))
  )
  .add(
    HttpApiEndpoint.get("diff", "/configurations/:id/versions/:version/diff")
      .pipe(onVersion)
      .setUrlParams(DiffParams)
      .addSuccess(JsonPatch)
      .pipe(described("Compare two versions of a configuration",
        "An RFC 6902 JSON Patch (`application/json-patch+json`) that turns the `config` of `{version}` into that of " +
          "version `to` (default: the latest). `[]` when they are equal."))
  )
  .add(
    HttpApiEndpoint.post("restore", "/configurations/:id/versions/:version/restore")
      .pipe(onVersion)
      .addSuccess(Configuration)
      .addSuccess(Configuration, { status: 201 })
      .addError(ConfigurationNameTaken)
      .addError(PreconditionFailed)
      .addError(ConfigurationInvalid)
      .pipe(described("Restore a version of a configuration",
        "Writes a new version (`op: restore`) with that version's name, comments and config, and answers the " +
          "configuration as a read does: 200, or 201 with `Location` when it brings a deleted configuration back " +
          "under its old id. `If-Match` names the current ETag (while deleted, its last version's number). 409 when " +
          "another configuration of the application took the name meanwhile; 422 `ConfigurationInvalid` when that " +
          "version's config does not conform to the application's current schema.",
        (op) => createdAt(configurationUrl(exampleId))(conditionalWrite(op))))
  )
  .add(
    HttpApiEndpoint.get("changes", "/applications/:id/changes")
      .pipe(onApplication)
      .setUrlParams(ChangesParams)
      .addSuccess(Changes)
      .addError(ChangesPruned)
      .addError(TooManyWatchers)
      .pipe(described("List an application's changes",
        "Its configuration writes after revision `after`, in revision (commit) order, and its current `revision`. " +
          "With `wait` and nothing after `after`, the request is held until a change commits (answered at once with " +
          "it) or the wait ends (`changes: []`). 410 `ChangesPruned` when retention removed changes after `after`: " +
          "ask again from `earliest_revision` - 1. 503 `TooManyWatchers` while this instance holds WATCH_MAX_STREAMS " +
          "waits."))
  )
  .pipe(storedGroup("History", "Every version of every configuration, restores, and each application's changes."))
{}
