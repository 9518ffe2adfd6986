import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { Api } from "../Api.js"
import type { Configuration } from "../Domain/Configuration.js"
import { acceptedConfigurationVersions, configurationETag } from "../Domain/ETag.js"
import { withETag } from "../Http/Conditional.js"
import { setResponseHeader } from "../Http/ResponseHeaders.js"
import { ConfigurationsRepo } from "./Repo.js"

export const configurationUrl = (id: string) => `/api/v1/configurations/${id}`

const etagOf = (configuration: Configuration) => configurationETag(configuration.version)

const precondition = (ifMatch: string | undefined) =>
  ifMatch === undefined ? "any" : acceptedConfigurationVersions(ifMatch)

export const ConfigurationsHttpLive = HttpApiBuilder.group(Api, "configurations", (handlers) =>
  Effect.gen(function*() {
    const configurations = yield* ConfigurationsRepo
    return handlers
      .handle("create", ({ payload }) =>
        configurations.create(payload).pipe(
          Effect.tap((configuration) => setResponseHeader("location", configurationUrl(configuration.id))),
          Effect.tap((configuration) => setResponseHeader("etag", etagOf(configuration)))
        ))
      .handle("get", ({ path, request }) =>
        Effect.flatMap(
          configurations.get(path.id),
          (configuration) => withETag(configuration, etagOf(configuration), request.headers["if-none-match"])
        ))
      .handle("update", ({ path, payload, request }) =>
        configurations.update(path.id, payload, precondition(request.headers["if-match"])).pipe(
          Effect.tap((configuration) => setResponseHeader("etag", etagOf(configuration)))
        ))
      .handle("delete", ({ path, request }) => configurations.remove(path.id, precondition(request.headers["if-match"])))
  }))
