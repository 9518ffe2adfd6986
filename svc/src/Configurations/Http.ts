import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as Effect from "effect/Effect"
import { Api } from "../Api.js"
import { preconditionOf } from "../Domain/ETag.js"
import { renderedResponse } from "../Edge/Rendered.js"
import { ConfigurationsRepo } from "./Repo.js"
import { url } from "./Resource.js"

export const ConfigurationsHttpLive = HttpApiBuilder.group(Api, "configurations", (handlers) =>
  Effect.gen(function*() {
    const configurations = yield* ConfigurationsRepo
    return handlers
      .handle("create", ({ payload }) =>
        Effect.map(configurations.create(payload, null), (created) =>
          renderedResponse(created, { status: 201, location: url(created.id) })))
      .handle("get", ({ path, request }) =>
        Effect.map(configurations.get(path.id), (configuration) =>
          renderedResponse(configuration, { ifNoneMatch: request.headers["if-none-match"] })))
      .handle("update", ({ path, payload, request }) =>
        Effect.map(
          configurations.update(path.id, payload, preconditionOf(request.headers["if-match"]), null),
          (configuration) => renderedResponse(configuration)
        ))
      .handle("delete", ({ path, request }) =>
        configurations.remove(path.id, preconditionOf(request.headers["if-match"]), null))
  }))
