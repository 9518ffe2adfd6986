import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as Effect from "effect/Effect"
import { Api } from "../Api.js"
import { ConfigurationsRepo } from "../Configurations/Repo.js"
import { preconditionOf } from "../Domain/ETag.js"
import { RequestActor } from "../Edge/Authentication.js"
import { pagedListResponse, renderedListResponse, renderedResponse } from "../Edge/Rendered.js"
import { blockingRead, waitOf } from "../Watch/BlockingRead.js"
import { ApplicationsRepo } from "./Repo.js"
import { cacheKey, pageUrl, url } from "./Resource.js"

export const ApplicationsHttpLive = HttpApiBuilder.group(Api, "applications", (handlers) =>
  Effect.gen(function*() {
    const applications = yield* ApplicationsRepo
    const configurations = yield* ConfigurationsRepo
    return handlers
      .handle("create", ({ payload }) =>
        Effect.map(applications.create(payload), (created) =>
          renderedResponse(created, { status: 201, location: url(created.id) })))
      .handle("list", ({ urlParams: { after, limit } }) =>
        pagedListResponse(limit, (limit) => applications.list({ after, limit }), (last, limit) => pageUrl(limit, last.id)))
      .handle("get", (args) =>
        blockingRead(applications.get(args.path.id), () => [cacheKey(args.path.id)], waitOf(args)))
      .handle("update", ({ path, payload, request }) =>
        Effect.map(
          applications.update(path.id, payload, preconditionOf(request.headers["if-match"])),
          (application) => renderedResponse(application)
        ))
      .handle("delete", ({ path, request, urlParams }) =>
        Effect.flatMap(RequestActor, (actor) =>
          applications.remove(path.id, {
            cascade: urlParams.cascade ?? false,
            precondition: preconditionOf(request.headers["if-match"]),
            actor: actor.name
          })))
      .handle("configurations", ({ path }) =>
        Effect.map(configurations.listByApplication(path.id), renderedListResponse))
  }))
