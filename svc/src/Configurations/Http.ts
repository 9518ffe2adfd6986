import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as Effect from "effect/Effect"
import { Api } from "../Api.js"
import { preconditionOf } from "../Domain/ETag.js"
import { RequestActor } from "../Edge/Authentication.js"
import { renderedResponse } from "../Edge/Rendered.js"
import { blockingRead, waitOf } from "../Watch/BlockingRead.js"
import { ConfigurationsRepo } from "./Repo.js"
import { cacheKey, url } from "./Resource.js"

export const ConfigurationsHttpLive = HttpApiBuilder.group(Api, "configurations", (handlers) =>
  Effect.gen(function*() {
    const configurations = yield* ConfigurationsRepo
    return handlers
      .handle("create", ({ payload }) =>
        RequestActor.pipe(
          Effect.flatMap((actor) => configurations.create(payload, actor.name)),
          Effect.map((created) => renderedResponse(created, { status: 201, location: url(created.id) }))
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
