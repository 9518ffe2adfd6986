import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as Schema from "effect/Schema"
import { createdAt, pagedAs } from "../ApiDocument.js"
import { waitableRead, conditional, deletion, described, onResource, storedGroup } from "../Endpoints.js"
import { Application, ApplicationInput } from "../../Domain/Application.js"
import { Configuration } from "../../Domain/Configuration.js"
import {
  ApplicationHasConfigurations,
  ApplicationNameTaken,
  ApplicationNotFound,
} from "../../Domain/Errors.js"
import { ApplicationId, exampleId } from "../../Domain/Ids.js"
import { cacheKey, readById } from "../../Applications/Resource.js"
import { cachedRead } from "../FastPath/Annotation.js"
import { expecting } from "../../Domain/Messages.js"
import { maxPageSize, PageLimit, queryParams } from "../../Domain/QueryParams.js"
import { applicationsPageUrl, applicationUrl } from "../Urls.js"

export const ApplicationPath = Schema.Struct({ id: ApplicationId })

/** An endpoint on one application, `/applications/:id…`. */
export const onApplication = onResource(ApplicationPath, ApplicationNotFound)

export const PageParams = queryParams({
  limit: Schema.optionalWith(
    PageLimit.annotations({ description: `page size, 1 to ${maxPageSize}; without it every application is returned` }),
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
      .addError(ApplicationNameTaken)
      .pipe(described("Create an application",
        "Names are unique. The response carries the new application's URL in `Location`.", createdAt(applicationUrl(exampleId))))
  )
  .add(
    HttpApiEndpoint.get("list", "/applications")
      .setUrlParams(PageParams)
      .addSuccess(Schema.Array(Application))
      .pipe(described("List applications",
        "All applications ordered by id. With `limit`, one page; a `Link: <…>; rel=\"next\"` header points at the " +
          "next page while more remain.", pagedAs(applicationsPageUrl(10, exampleId))))
  )
  .add(
    HttpApiEndpoint.get("get", "/applications/:id")
      .pipe(onApplication, waitableRead)
      .addSuccess(Application)
      .pipe(cachedRead(cacheKey, readById))
      .pipe(described("Read an application",
        "With the ids of its configurations. Its `ETag` changes when they do. With `If-None-Match` and `wait`, a " +
          "blocking read: answered when it changes, or 304 when the wait ends."))
  )
  .add(
    HttpApiEndpoint.put("update", "/applications/:id")
      .pipe(onApplication)
      .setPayload(ApplicationInput)
      .addSuccess(Application)
      .addError(ApplicationNameTaken)
      .pipe(conditional)
      .pipe(described("Rename an application", "Replaces name and comments (an omitted `comments` becomes null)."))
  )
  .add(
    HttpApiEndpoint.del("delete", "/applications/:id")
      .pipe(onApplication)
      .setUrlParams(DeleteParams)
      .addError(ApplicationHasConfigurations)
      .pipe(deletion)
      .pipe(described("Delete an application",
        "409 while it has configurations, unless `cascade=true` deletes them too."))
  )
  .add(
    HttpApiEndpoint.get("configurations", "/applications/:id/configurations")
      .pipe(onApplication)
      .addSuccess(Schema.Array(Configuration))
      .pipe(described("List an application's configurations", "Its configurations in full, ordered by id."))
  )
  .pipe(storedGroup("Applications", "Applications, each with a unique name and its configurations."))
{}
