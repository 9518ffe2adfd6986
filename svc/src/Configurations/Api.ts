import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Schema from "effect/Schema"
import { conditionalRead, conditionalWrite, created } from "../ApiDocument.js"
import { Configuration, ConfigurationCreate, ConfigurationUpdate } from "../Domain/Configuration.js"
import {
  ApplicationIdImmutable,
  ConfigurationNameTaken,
  ConfigurationNotFound,
  DatabaseUnavailable,
  PreconditionFailed,
  TooManyWatchers,
  UnknownApplication,
  UnstorableText
} from "../Domain/Errors.js"
import { ConfigurationId } from "../Domain/Ids.js"
import { ConfigurationInvalid } from "../Schemas/Errors.js"
import { WaitParams } from "../Watch/Params.js"

export const ConfigurationPath = Schema.Struct({ id: ConfigurationId })

export class ConfigurationsApi extends HttpApiGroup.make("configurations")
  .add(
    HttpApiEndpoint.post("create", "/configurations")
      .setPayload(ConfigurationCreate)
      .addSuccess(Configuration, { status: 201 })
      .annotate(OpenApi.Transform, created)
      .addError(UnknownApplication)
      .addError(ConfigurationNameTaken)
      .addError(ConfigurationInvalid)
      .annotate(OpenApi.Summary, "Create a configuration")
      .annotate(
        OpenApi.Description,
        "Names are unique within the application. The response carries the new configuration's URL in `Location`. " +
          "422 `ConfigurationInvalid` when `config` does not conform to the application's schema."
      )
  )
  .add(
    HttpApiEndpoint.get("get", "/configurations/:id")
      .setPath(ConfigurationPath)
      .setUrlParams(WaitParams)
      .annotate(OpenApi.Transform, conditionalRead)
      .addSuccess(Configuration)
      .addError(ConfigurationNotFound)
      .addError(TooManyWatchers)
      .annotate(OpenApi.Summary, "Read a configuration")
      .annotate(
        OpenApi.Description,
        "Its `ETag` is its version: poll with `If-None-Match` for a cheap 304, or add `wait` to be answered as soon as " +
          "it changes (404 once deleted; 304 when the wait ends)."
      )
  )
  .add(
    HttpApiEndpoint.put("update", "/configurations/:id")
      .setPath(ConfigurationPath)
      .annotate(OpenApi.Transform, conditionalWrite)
      .setPayload(ConfigurationUpdate)
      .addSuccess(Configuration)
      .addError(ConfigurationNotFound)
      .addError(ConfigurationNameTaken)
      .addError(ApplicationIdImmutable)
      .addError(PreconditionFailed)
      .addError(ConfigurationInvalid)
      .annotate(OpenApi.Summary, "Replace a configuration")
      .annotate(
        OpenApi.Description,
        "Replaces name, comments and config. `application_id` may be sent only unchanged. 422 " +
          "`ConfigurationInvalid` when `config` does not conform to the application's schema."
      )
  )
  .add(
    HttpApiEndpoint.del("delete", "/configurations/:id")
      .setPath(ConfigurationPath)
      .annotate(OpenApi.Transform, conditionalWrite)
      .addSuccess(Schema.Void, { status: 204 })
      .addError(ConfigurationNotFound)
      .addError(PreconditionFailed)
      .annotate(OpenApi.Summary, "Delete a configuration")
  )
  .addError(UnstorableText)
  .addError(DatabaseUnavailable)
  .annotate(OpenApi.Title, "Configurations")
  .annotate(OpenApi.Description, "Named JSON objects, each belonging to one application.")
{}
