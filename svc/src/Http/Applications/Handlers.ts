import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as Effect from "effect/Effect"
import { Api } from "../Api.js"
import { ConfigurationsRepo } from "../../Configurations/Repo.js"
import { preconditionOf } from "../../Domain/ETag.js"
import { RequestActor } from "../Edge/Authentication.js"
import { pagedListResponse, renderedListResponse, renderedResponse } from "../Edge/Answers.js"
import { blockingRead, waitOf } from "../BlockingRead.js"
import { ApplicationsRepo } from "../../Applications/Repo.js"
import { cacheKey } from "../../Applications/Resource.js"
import { applicationsPageUrl, applicationUrl } from "../Urls.js"

export const ApplicationsHttpLive = HttpApiBuilder.group(Api, "applications", (handlers) =>
  Effect.gen(function*() {
    const applications = yield* ApplicationsRepo
    const configurations = yield* ConfigurationsRepo
    return handlers
      .handle("create", ({ payload }) =>
        Effect.map(applications.create(payload), (created) =>
          renderedResponse(created, { status: 201, location: applicationUrl(created.id) })))
      .handle("list", ({ urlParams: { after, limit } }) =>
        pagedListResponse(limit, (limit) => applications.list({ after, limit }), (last, limit) => applicationsPageUrl(limit, last.id)))
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
