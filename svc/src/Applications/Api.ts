import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Schema from "effect/Schema"
import { conditionalRead, conditionalWrite, created, paged } from "../ApiDocument.js"
import { Application, ApplicationInput } from "../Domain/Application.js"
import { Configuration } from "../Domain/Configuration.js"
import {
  ApplicationHasConfigurations,
  ApplicationNameTaken,
  ApplicationNotFound,
  DatabaseUnavailable,
  PreconditionFailed,
  TooManyWatchers,
  UnstorableText
} from "../Domain/Errors.js"
import { ApplicationId } from "../Domain/Ids.js"
import { expecting } from "../Domain/Messages.js"
import { queryParams } from "../Domain/QueryParams.js"
import { DecimalInt } from "../Domain/Numbers.js"
import { WaitParams } from "../Watch/Params.js"

export const ApplicationPath = Schema.Struct({ id: ApplicationId })

export const PageParams = queryParams({
  limit: Schema.optionalWith(
    DecimalInt(1, 1000).annotations({ description: "page size, 1 to 1000; without it every application is returned" }),
    { exact: true }
  ),
  after: Schema.optionalWith(
    ApplicationId.annotations({ description: "return applications whose id sorts after this one" }),
    { exact: true }
  )
})
export type PageParams = typeof PageParams.Type

export const DeleteParams = queryParams({
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
      .annotate(OpenApi.Transform, created)
      .addError(ApplicationNameTaken)
      .annotate(OpenApi.Summary, "Create an application")
      .annotate(OpenApi.Description, "Names are unique. The response carries the new application's URL in `Location`.")
  )
  .add(
    HttpApiEndpoint.get("list", "/applications")
      .setUrlParams(PageParams)
      .addSuccess(Schema.Array(Application))
      .annotate(OpenApi.Transform, paged)
      .annotate(OpenApi.Summary, "List applications")
      .annotate(
        OpenApi.Description,
        "All applications ordered by id. With `limit`, one page; a `Link: <…>; rel=\"next\"` header points at the next page while more remain."
      )
  )
  .add(
    HttpApiEndpoint.get("get", "/applications/:id")
      .setPath(ApplicationPath)
      .setUrlParams(WaitParams)
      .annotate(OpenApi.Transform, conditionalRead)
      .addSuccess(Application)
      .addError(ApplicationNotFound)
      .addError(TooManyWatchers)
      .annotate(OpenApi.Summary, "Read an application")
      .annotate(
        OpenApi.Description,
        "With the ids of its configurations. Its `ETag` changes when they do. With `If-None-Match` and `wait`, a " +
          "blocking read: answered when it changes, or 304 when the wait ends."
      )
  )
  .add(
    HttpApiEndpoint.put("update", "/applications/:id")
      .setPath(ApplicationPath)
      .annotate(OpenApi.Transform, conditionalWrite)
      .setPayload(ApplicationInput)
      .addSuccess(Application)
      .addError(ApplicationNotFound)
      .addError(ApplicationNameTaken)
      .addError(PreconditionFailed)
      .annotate(OpenApi.Summary, "Rename an application")
      .annotate(OpenApi.Description, "Replaces name and comments (an omitted `comments` becomes null).")
  )
  .add(
    HttpApiEndpoint.del("delete", "/applications/:id")
      .setPath(ApplicationPath)
      .setUrlParams(DeleteParams)
      .annotate(OpenApi.Transform, conditionalWrite)
      .addSuccess(Schema.Void, { status: 204 })
      .addError(ApplicationNotFound)
      .addError(ApplicationHasConfigurations)
      .addError(PreconditionFailed)
      .annotate(OpenApi.Summary, "Delete an application")
      .annotate(OpenApi.Description, "409 while it has configurations, unless `cascade=true` deletes them too.")
  )
  .add(
    HttpApiEndpoint.get("configurations", "/applications/:id/configurations")
      .setPath(ApplicationPath)
      .addSuccess(Schema.Array(Configuration))
      .addError(ApplicationNotFound)
      .annotate(OpenApi.Summary, "List an application's configurations")
      .annotate(OpenApi.Description, "Its configurations in full, ordered by id.")
  )
  .addError(UnstorableText)
  .addError(DatabaseUnavailable)
  .annotate(OpenApi.Title, "Applications")
  .annotate(OpenApi.Description, "Applications, each with a unique name and its configurations.")
{}
