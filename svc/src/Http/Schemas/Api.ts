import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as Schema from "effect/Schema"
import { conditionalRead, conditionalWrite, createdAt } from "../ApiDocument.js"
import { deletion, described, storedGroup } from "../Endpoints.js"
import { ConfigObject } from "../../Domain/Configuration.js"
import { onApplication } from "../Applications/Api.js"
import { PreconditionFailed } from "../../Domain/Errors.js"
import { exampleId } from "../../Domain/Ids.js"
import { expecting, requestBody } from "../../Domain/Messages.js"
import { queryParams } from "../../Domain/QueryParams.js"
import { ApplicationSchema, SchemaDocument } from "../../JsonSchema/ApplicationSchema.js"
import { InvalidSchema, SchemaNotFound, SchemaViolated, ValidationResult } from "../../JsonSchema/Errors.js"
import { maxReportedErrors } from "../../JsonSchema/Limits.js"
import { schemaUrl } from "../Urls.js"
import { cachedValidation } from "./ValidationAnswer.js"

export const PutParams = queryParams({
  force: Schema.optionalWith(
    Schema.BooleanFromString.annotations({
      description: "true: attach the schema even though configurations do not conform to it",
      ...expecting("must be true or false")
    }),
    { exact: true }
  )
})

export const ValidateInput = Schema.Struct({ config: ConfigObject })
  .annotations({ identifier: "ValidateInput", ...requestBody })

export class SchemasApi extends HttpApiGroup.make("schemas")
  .add(
    HttpApiEndpoint.put("put", "/applications/:id/schema")
      .pipe(onApplication)
      .setUrlParams(PutParams)
      .setPayload(SchemaDocument)
      .addSuccess(ApplicationSchema)
      .addSuccess(ApplicationSchema, { status: 201 })
      .addError(InvalidSchema)
      .addError(SchemaViolated)
      .addError(PreconditionFailed)
      .pipe(described("Attach or replace an application's JSON Schema",
        "From then on every configuration write of the application (create, update, restore) must conform, else 422 " +
          "`ConfigurationInvalid`. 201 the first time, 200 after. 409 `SchemaViolated` lists the configurations that " +
          "do not conform now, unless `force=true`. 400 `InvalidSchema` says why the body is not a schema.",
        (op) => createdAt(schemaUrl(exampleId))(conditionalWrite(op))))
  )
  .add(
    HttpApiEndpoint.get("get", "/applications/:id/schema")
      .pipe(onApplication)
      .addSuccess(ApplicationSchema)
      .addError(SchemaNotFound)
      .pipe(described("Read an application's JSON Schema",
        "404 `SchemaNotFound` when it has none. Its `ETag` is its version.", conditionalRead))
  )
  .add(
    HttpApiEndpoint.del("delete", "/applications/:id/schema")
      .pipe(onApplication)
      .addError(SchemaNotFound)
      .pipe(deletion)
      .pipe(described("Detach an application's JSON Schema", "Configuration writes are no longer checked."))
  )
  .add(
    HttpApiEndpoint.post("validate", "/applications/:id/validate")
      .pipe(onApplication)
      .setPayload(ValidateInput)
      .addSuccess(ValidationResult.annotations({ identifier: "ValidationResult" }))
      .pipe(cachedValidation)
      .pipe(described("Check a config against an application's JSON Schema",
        `A dry run that writes nothing: \`valid\` and up to ${maxReportedErrors} \`errors\` ` +
          "(`path` a JSON Pointer into the config, " +
          "`keyword`, `message`). With no schema, `{ \"valid\": true, \"errors\": [] }`."))
  )
  .pipe(storedGroup("Schemas", "A JSON Schema per application, which its configurations must conform to."))
{}
