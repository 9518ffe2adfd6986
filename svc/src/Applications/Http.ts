import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { Api } from "../Api.js"
import { ConfigurationsRepo } from "../Configurations/Repo.js"
import { setResponseHeader } from "../Http/ResponseHeaders.js"
import { ApplicationsRepo } from "./Repo.js"

export const applicationUrl = (id: string) => `/api/v1/applications/${id}`

export const ApplicationsHttpLive = HttpApiBuilder.group(Api, "applications", (handlers) =>
  Effect.gen(function*() {
    const applications = yield* ApplicationsRepo
    const configurations = yield* ConfigurationsRepo
    return handlers
      .handle("create", ({ payload }) =>
        applications.create(payload).pipe(
          Effect.tap((application) => setResponseHeader("location", applicationUrl(application.id)))
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
      .handle("get", ({ path }) => applications.get(path.id))
      .handle("update", ({ path, payload }) => applications.update(path.id, payload))
      .handle("delete", ({ path, urlParams }) => applications.remove(path.id, { cascade: urlParams.cascade ?? false }))
      .handle("configurations", ({ path }) => configurations.listByApplication(path.id))
  }))
