import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as Schema from "effect/Schema"
import { createdAt } from "../ApiDocument.js"
import { waitableRead, conditional, deletion, described, onResource, storedGroup } from "../Endpoints.js"
import { Configuration, ConfigurationCreate, ConfigurationUpdate } from "../../Domain/Configuration.js"
import {
  ApplicationIdImmutable,
  ConfigurationNameTaken,
  ConfigurationNotFound,
  UnknownApplication,
} from "../../Domain/Errors.js"
import { ConfigurationId, exampleId } from "../../Domain/Ids.js"
import { cacheKey, readById } from "../../Configurations/Resource.js"
import { cachedRead } from "../FastPath/Annotation.js"
import { ConfigurationInvalid } from "../../JsonSchema/Errors.js"
import { configurationUrl } from "../Urls.js"

export const ConfigurationPath = Schema.Struct({ id: ConfigurationId })

/** An endpoint on one configuration, `/configurations/:id…`. */
export const onConfiguration = onResource(ConfigurationPath, ConfigurationNotFound)

export class ConfigurationsApi extends HttpApiGroup.make("configurations")
  .add(
    HttpApiEndpoint.post("create", "/configurations")
      .setPayload(ConfigurationCreate)
      .addSuccess(Configuration, { status: 201 })
      .addError(UnknownApplication)
      .addError(ConfigurationNameTaken)
      .addError(ConfigurationInvalid)
      .pipe(described("Create a configuration",
        "Names are unique within the application. The response carries the new configuration's URL in `Location`. " +
          "422 `ConfigurationInvalid` when `config` does not conform to the application's schema.", createdAt(configurationUrl(exampleId))))
  )
  .add(
    HttpApiEndpoint.get("get", "/configurations/:id")
      .pipe(onConfiguration, waitableRead)
      .addSuccess(Configuration)
      .pipe(cachedRead(cacheKey, readById))
      .pipe(described("Read a configuration",
        "Its `ETag` is its version: poll with `If-None-Match` for a cheap 304, or add `wait` to be answered as soon " +
          "as it changes (404 once deleted; 304 when the wait ends)."))
  )
  .add(
    HttpApiEndpoint.put("update", "/configurations/:id")
      .pipe(onConfiguration)
      .setPayload(ConfigurationUpdate)
      .addSuccess(Configuration)
      .addError(ConfigurationNameTaken)
      .addError(ApplicationIdImmutable)
      .addError(ConfigurationInvalid)
      .pipe(conditional)
      .pipe(described("Replace a configuration",
        "Replaces name, comments and config. `application_id` may be sent only unchanged. 422 " +
          "`ConfigurationInvalid` when `config` does not conform to the application's schema."))
  )
  .add(
    HttpApiEndpoint.del("delete", "/configurations/:id")
      .pipe(onConfiguration)
      .pipe(deletion)
      .pipe(described("Delete a configuration"))
  )
  .pipe(storedGroup("Configurations", "Named JSON objects, each belonging to one application."))
{}
