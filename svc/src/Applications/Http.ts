import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { Api } from "../Api.js"
import { ConfigurationsRepo } from "../Configurations/Repo.js"
import type { Application } from "../Domain/Application.js"
import { acceptedApplicationTags, applicationETag } from "../Domain/ETag.js"
import { withETag } from "../Http/Conditional.js"
import { setResponseHeader } from "../Http/ResponseHeaders.js"
import { ApplicationsRepo } from "./Repo.js"

export const applicationUrl = (id: string) => `/api/v1/applications/${id}`

const etagOf = (application: Application) => applicationETag(application.version, application.configuration_ids)

const precondition = (ifMatch: string | undefined) => ifMatch === undefined ? "any" : acceptedApplicationTags(ifMatch)

export const ApplicationsHttpLive = HttpApiBuilder.group(Api, "applications", (handlers) =>
  Effect.gen(function*() {
    const applications = yield* ApplicationsRepo
    const configurations = yield* ConfigurationsRepo
    return handlers
      .handle("create", ({ payload }) =>
        applications.create(payload).pipe(
          Effect.tap((application) => setResponseHeader("location", applicationUrl(application.id))),
          Effect.tap((application) => setResponseHeader("etag", etagOf(application)))
        ))
      .handle("list", ({ urlParams: { after, limit } }) =>
        limit === undefined
          ? applications.list({ after })
          : Effect.gen(function*() {
            const page = yield* applications.list({ after, limit: limit + 1 })
            if (page.length <= limit) return page
            const items = page.slice(0, limit)
            const next = `/api/v1/applications?limit=${limit}&after=${items[items.length - 1]!.id}`
            yield* setResponseHeader("link", `<${next}>; rel="next"`)
            return items
          }))
      .handle("get", ({ path, request }) =>
        Effect.flatMap(
          applications.get(path.id),
          (application) => withETag(application, etagOf(application), request.headers["if-none-match"])
        ))
      .handle("update", ({ path, payload, request }) =>
        applications.update(path.id, payload, precondition(request.headers["if-match"])).pipe(
          Effect.tap((application) => setResponseHeader("etag", etagOf(application)))
        ))
      .handle("delete", ({ path, request, urlParams }) =>
        applications.remove(path.id, {
          cascade: urlParams.cascade ?? false,
          precondition: precondition(request.headers["if-match"])
        }))
      .handle("configurations", ({ path }) => configurations.listByApplication(path.id))
  }))
