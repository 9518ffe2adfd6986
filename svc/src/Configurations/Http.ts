import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { Api } from "../Api.js"
import { setResponseHeader } from "../Http/ResponseHeaders.js"
import { ConfigurationsRepo } from "./Repo.js"

export const configurationUrl = (id: string) => `/api/v1/configurations/${id}`

export const ConfigurationsHttpLive = HttpApiBuilder.group(Api, "configurations", (handlers) =>
  Effect.gen(function*() {
    const configurations = yield* ConfigurationsRepo
    return handlers
      .handle("create", ({ payload }) =>
        configurations.create(payload).pipe(
          Effect.tap((configuration) => setResponseHeader("location", configurationUrl(configuration.id)))
        ))
      .handle("get", ({ path }) => configurations.get(path.id))
      .handle("update", ({ path, payload }) => configurations.update(path.id, payload))
      .handle("delete", ({ path }) => configurations.remove(path.id))
  }))
