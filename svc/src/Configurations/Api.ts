import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Schema from "effect/Schema"
import { Configuration, ConfigurationCreate, ConfigurationUpdate } from "../Domain/Configuration.js"
import {
  ApplicationIdImmutable,
  ConfigurationNameTaken,
  ConfigurationNotFound,
  PreconditionFailed,
  UnknownApplication
} from "../Domain/Errors.js"
import { Conditional } from "../Domain/Headers.js"
import { ConfigurationId } from "../Domain/Ids.js"

export const ConfigurationPath = Schema.Struct({ id: ConfigurationId })

export class ConfigurationsApi extends HttpApiGroup.make("configurations")
  .add(
    HttpApiEndpoint.post("create", "/configurations")
      .setPayload(ConfigurationCreate)
      .addSuccess(Configuration, { status: 201 })
      .addError(UnknownApplication)
      .addError(ConfigurationNameTaken)
      .annotate(OpenApi.Summary, "Create a configuration")
      .annotate(
        OpenApi.Description,
        "Names are unique within the application. The response carries the new configuration's URL in `Location`."
      )
  )
  .add(
    HttpApiEndpoint.get("get", "/configurations/:id")
      .setPath(ConfigurationPath)
      .annotate(Conditional, "read")
      .addSuccess(Configuration)
      .addError(ConfigurationNotFound)
      .annotate(OpenApi.Summary, "Read a configuration")
      .annotate(OpenApi.Description, "Its `ETag` is its version: poll with `If-None-Match` for a cheap 304.")
  )
  .add(
    HttpApiEndpoint.put("update", "/configurations/:id")
      .setPath(ConfigurationPath)
      .annotate(Conditional, "write")
      .setPayload(ConfigurationUpdate)
      .addSuccess(Configuration)
      .addError(ConfigurationNotFound)
      .addError(ConfigurationNameTaken)
      .addError(ApplicationIdImmutable)
      .addError(PreconditionFailed)
      .annotate(OpenApi.Summary, "Replace a configuration")
      .annotate(
        OpenApi.Description,
        "Replaces name, comments and config. `application_id` may be sent only unchanged."
      )
  )
  .add(
    HttpApiEndpoint.del("delete", "/configurations/:id")
      .setPath(ConfigurationPath)
      .annotate(Conditional, "write")
      .addSuccess(Schema.Void, { status: 204 })
      .addError(ConfigurationNotFound)
      .addError(PreconditionFailed)
      .annotate(OpenApi.Summary, "Delete a configuration")
  )
  .annotate(OpenApi.Title, "Configurations")
  .annotate(OpenApi.Description, "Named JSON objects, each belonging to one application.")
{}
