import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as Effect from "effect/Effect"
import { Api } from "../Api.js"
import { acceptedConfigurationVersions, renderedETag } from "../Domain/ETag.js"
import { renderedResponse } from "../Http/Conditional.js"
import { ConfigurationsRepo } from "./Repo.js"

export const configurationUrl = (id: string) => `/api/v1/configurations/${id}`

const precondition = (ifMatch: string | undefined) =>
  ifMatch === undefined ? "any" : acceptedConfigurationVersions(ifMatch)

export const ConfigurationsHttpLive = HttpApiBuilder.group(Api, "configurations", (handlers) =>
  Effect.gen(function*() {
    const { remove, rendered: configurations } = yield* ConfigurationsRepo
    return handlers
      .handle("create", ({ payload }) =>
        Effect.map(configurations.create(payload), (created) =>
          renderedResponse(created, renderedETag(created), {
            status: 201,
            location: configurationUrl(created.id)
          })))
      .handle("get", ({ path, request }) =>
        Effect.map(configurations.get(path.id), (configuration) =>
          renderedResponse(configuration, renderedETag(configuration), {
            ifNoneMatch: request.headers["if-none-match"]
          })))
      .handle("update", ({ path, payload, request }) =>
        Effect.map(
          configurations.update(path.id, payload, precondition(request.headers["if-match"])),
          (configuration) => renderedResponse(configuration, renderedETag(configuration))
        ))
      .handle("delete", ({ path, request }) => remove(path.id, precondition(request.headers["if-match"])))
  }))
