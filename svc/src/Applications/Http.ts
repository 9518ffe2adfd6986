import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as Effect from "effect/Effect"
import { Api } from "../Api.js"
import { ConfigurationsRepo } from "../Configurations/Repo.js"
import { preconditionOf } from "../Domain/ETag.js"
import { Actor } from "../Edge/Authentication.js"
import { renderedListResponse, renderedResponse } from "../Edge/Rendered.js"
import { setResponseHeader } from "../Edge/ResponseHeaders.js"
import { blockingRead, waitOf } from "../Watch/BlockingRead.js"
import { ApplicationsRepo } from "./Repo.js"
import { cacheKey, url } from "./Resource.js"

export const ApplicationsHttpLive = HttpApiBuilder.group(Api, "applications", (handlers) =>
  Effect.gen(function*() {
    const applications = yield* ApplicationsRepo
    const configurations = yield* ConfigurationsRepo
    return handlers
      .handle("create", ({ payload }) =>
        Effect.map(applications.create(payload), (created) =>
          renderedResponse(created, { status: 201, location: url(created.id) })))
      .handle("list", ({ urlParams: { after, limit } }) =>
        limit === undefined
          ? Effect.map(applications.list({ after }), renderedListResponse)
          : Effect.gen(function*() {
            const page = yield* applications.list({ after, limit: limit + 1 })
            if (page.length <= limit) return renderedListResponse(page)
            const items = page.slice(0, limit)
            const next = `/api/v1/applications?limit=${limit}&after=${items[items.length - 1]!.id}`
            yield* setResponseHeader("link", `<${next}>; rel="next"`)
            return renderedListResponse(items)
          }))
      .handle("get", (args) =>
        blockingRead(applications.get(args.path.id), () => [cacheKey(args.path.id)], waitOf(args)))
      .handle("update", ({ path, payload, request }) =>
        Effect.map(
          applications.update(path.id, payload, preconditionOf(request.headers["if-match"])),
          (application) => renderedResponse(application)
        ))
      .handle("delete", ({ path, request, urlParams }) =>
        Effect.flatMap(Actor, (actor) =>
          applications.remove(path.id, {
            cascade: urlParams.cascade ?? false,
            precondition: preconditionOf(request.headers["if-match"]),
            actor: actor.name
          })))
      .handle("configurations", ({ path }) =>
        Effect.map(configurations.listByApplication(path.id), renderedListResponse))
  }))
