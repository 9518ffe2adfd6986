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
import { conditionalRead, conditionalWrite } from "../Applications/Api.js"
import { ConfigurationId } from "../Domain/Ids.js"

export const ConfigurationPath = Schema.Struct({ id: ConfigurationId })

export class ConfigurationsApi extends HttpApiGroup.make("configurations")
  .add(
    HttpApiEndpoint.post("create", "/configurations")
      .setPayload(ConfigurationCreate)
      .addSuccess(Configuration, { status: 201 })
      .addError(UnknownApplication)
      .addError(ConfigurationNameTaken)
      .annotate(OpenApi.Description, "Create a configuration. The response carries its URL in `Location`.")
  )
  .add(
    HttpApiEndpoint.get("get", "/configurations/:id")
      .setPath(ConfigurationPath)
      .addSuccess(Configuration)
      .addError(ConfigurationNotFound)
      .annotate(OpenApi.Description, conditionalRead)
  )
  .add(
    HttpApiEndpoint.put("update", "/configurations/:id")
      .setPath(ConfigurationPath)
      .setPayload(ConfigurationUpdate)
      .addSuccess(Configuration)
      .addError(ConfigurationNotFound)
      .addError(ConfigurationNameTaken)
      .addError(ApplicationIdImmutable)
      .addError(PreconditionFailed)
      .annotate(
        OpenApi.Description,
        `Replace name, comments and config. \`application_id\` may be sent only unchanged. ${conditionalWrite}`
      )
  )
  .add(
    HttpApiEndpoint.del("delete", "/configurations/:id")
      .setPath(ConfigurationPath)
      .addSuccess(Schema.Void, { status: 204 })
      .addError(ConfigurationNotFound)
      .addError(PreconditionFailed)
      .annotate(OpenApi.Description, conditionalWrite)
  )
  .annotate(OpenApi.Title, "Configurations")
{}
