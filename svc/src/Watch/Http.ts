import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Effect from "effect/Effect"
import { Api } from "../Api.js"
import { cacheKey as applicationKey } from "../Applications/Resource.js"
import { cacheKey as configurationKey } from "../Configurations/Resource.js"
import { blockingRead } from "./BlockingRead.js"
import { WatchRepo } from "./Repo.js"
import { openStream } from "./Stream.js"
import { Tails } from "./Tails.js"

/** Cuts the request's connection: a stream whose client stopped reading is dropped, not flushed. */
const destroyer = (request: HttpServerRequest.HttpServerRequest) => () =>
  NodeHttpServerRequest.toServerResponse(request).destroy()

export const WatchHttpLive = HttpApiBuilder.group(Api, "watch", (handlers) =>
  Effect.gen(function*() {
    const repo = yield* WatchRepo
    const tails = yield* Tails
    const headers = {
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
      "x-instance-id": tails.instanceId
    }
    return handlers
      .handle("application", ({ path, request, urlParams }) =>
        blockingRead(repo.applicationNamed(path.name), (application) => [applicationKey(application.id)], {
          ifNoneMatch: request.headers["if-none-match"],
          wait: urlParams.wait
        }))
      .handle("configuration", ({ path, request, urlParams }) =>
        blockingRead(
          repo.configurationNamed(path.name, path.configuration_name),
          (configuration) => [configurationKey(configuration.id), applicationKey(configuration.application_id)],
          { ifNoneMatch: request.headers["if-none-match"], wait: urlParams.wait }
        ))
      .handle("watch", ({ headers: { "last-event-id": lastEventId }, path, request, urlParams }) =>
        Effect.map(
          openStream(path.id, lastEventId ?? urlParams.after, destroyer(request)),
          (body) => HttpServerResponse.raw(body, { contentType: "text/event-stream", headers })
        ))
  }))
