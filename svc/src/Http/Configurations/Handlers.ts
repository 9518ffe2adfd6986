import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as Effect from "effect/Effect"
import { Api } from "../Api.js"
import { preconditionOf } from "../../Domain/ETag.js"
import { RequestActor } from "../Edge/Authentication.js"
import { renderedResponse } from "../Edge/Answers.js"
import { blockingRead, waitOf } from "../BlockingRead.js"
import { ConfigurationsRepo } from "../../Configurations/Repo.js"
import { cacheKey } from "../../Configurations/Resource.js"
import { configurationUrl } from "../Urls.js"

export const ConfigurationsHttpLive = HttpApiBuilder.group(Api, "configurations", (handlers) =>
  Effect.gen(function*() {
    const configurations = yield* ConfigurationsRepo
    return handlers
      .handle("create", ({ payload }) =>
        RequestActor.pipe(
          Effect.flatMap((actor) => configurations.create(payload, actor.name)),
          Effect.map((created) => renderedResponse(created, { status: 201, location: configurationUrl(created.id) }))
        ))
      .handle("get", (args) =>
        blockingRead(configurations.get(args.path.id), () => [cacheKey(args.path.id)], waitOf(args)))
      .handle("update", ({ path, payload, request }) =>
        RequestActor.pipe(
          Effect.flatMap((actor) =>
            configurations.update(path.id, payload, preconditionOf(request.headers["if-match"]), actor.name)
          ),
          Effect.map((configuration) => renderedResponse(configuration))
        ))
      .handle("delete", ({ path, request }) =>
        Effect.flatMap(RequestActor, (actor) =>
          configurations.remove(path.id, preconditionOf(request.headers["if-match"]), actor.name)))
  }))
