import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Schema from "effect/Schema"
import { Application, ApplicationInput } from "../Domain/Application.js"
import { Configuration } from "../Domain/Configuration.js"
import {
  ApplicationHasConfigurations,
  ApplicationNameTaken,
  ApplicationNotFound,
  PreconditionFailed
} from "../Domain/Errors.js"
import { ApplicationId } from "../Domain/Ids.js"
import { expecting } from "../Domain/Messages.js"
import { DecimalInt } from "../Domain/Numbers.js"

export const conditionalRead =
  "The response carries a strong `ETag`; send it back in `If-None-Match` to get 304 with no body while it is unchanged."

export const conditionalWrite =
  "With `If-Match: <ETag>` the write happens only while that ETag is current; otherwise 412 and nothing changes."

export const ApplicationPath = Schema.Struct({ id: ApplicationId })

export const PageParams = Schema.Struct({
  limit: Schema.optionalWith(
    DecimalInt(1, 1000).annotations({ description: "page size, 1 to 1000; without it every application is returned" }),
    { exact: true }
  ),
  after: Schema.optionalWith(
    ApplicationId.annotations({ description: "return applications whose id sorts after this one" }),
    { exact: true }
  )
}).annotations({ parseOptions: { errors: "all" } })
export type PageParams = typeof PageParams.Type

export const DeleteParams = Schema.Struct({
  cascade: Schema.optionalWith(
    Schema.BooleanFromString.annotations({
      description: "true: also delete the application's configurations",
      ...expecting("must be true or false")
    }),
    { exact: true }
  )
})

export class ApplicationsApi extends HttpApiGroup.make("applications")
  .add(
    HttpApiEndpoint.post("create", "/applications")
      .setPayload(ApplicationInput)
      .addSuccess(Application, { status: 201 })
      .addError(ApplicationNameTaken)
      .annotate(OpenApi.Description, "Create an application. The response carries its URL in `Location`.")
  )
  .add(
    HttpApiEndpoint.get("list", "/applications")
      .setUrlParams(PageParams)
      .addSuccess(Schema.Array(Application))
      .annotate(
        OpenApi.Description,
        "All applications ordered by id. With `limit`, one page; a `Link: <…>; rel=\"next\"` header points at the next page while more remain."
      )
  )
  .add(
    HttpApiEndpoint.get("get", "/applications/:id")
      .setPath(ApplicationPath)
      .addSuccess(Application)
      .addError(ApplicationNotFound)
      .annotate(OpenApi.Description, conditionalRead)
  )
  .add(
    HttpApiEndpoint.put("update", "/applications/:id")
      .setPath(ApplicationPath)
      .setPayload(ApplicationInput)
      .addSuccess(Application)
      .addError(ApplicationNotFound)
      .addError(ApplicationNameTaken)
      .addError(PreconditionFailed)
      .annotate(OpenApi.Description, `Replace name and comments (an omitted \`comments\` becomes null). ${conditionalWrite}`)
  )
  .add(
    HttpApiEndpoint.del("delete", "/applications/:id")
      .setPath(ApplicationPath)
      .setUrlParams(DeleteParams)
      .addSuccess(Schema.Void, { status: 204 })
      .addError(ApplicationNotFound)
      .addError(ApplicationHasConfigurations)
      .addError(PreconditionFailed)
      .annotate(OpenApi.Description, conditionalWrite)
  )
  .add(
    HttpApiEndpoint.get("configurations", "/applications/:id/configurations")
      .setPath(ApplicationPath)
      .addSuccess(Schema.Array(Configuration))
      .addError(ApplicationNotFound)
      .annotate(OpenApi.Description, "The application's configurations, ordered by id.")
  )
  .annotate(OpenApi.Title, "Applications")
{}
