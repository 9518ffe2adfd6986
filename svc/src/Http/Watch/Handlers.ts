import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Effect from "effect/Effect"
import { Api } from "../Api.js"
import { ChangeFeed } from "../../ChangeFeed/ChangeFeed.js"
import { applicationKey, configurationKey } from "../../ChangeFeed/ChangeKeys.js"
import { blockingRead, waitOf } from "../BlockingRead.js"
import { WatchRepo } from "../../Watch/Repo.js"
import { openStream } from "../../Watch/Stream.js"

/** Cuts the request's connection: a stream whose client stopped reading is dropped, not flushed. */
const destroyer = (request: HttpServerRequest.HttpServerRequest) => () =>
  NodeHttpServerRequest.toServerResponse(request).destroy()

export const WatchHttpLive = HttpApiBuilder.group(Api, "watch", (handlers) =>
  Effect.gen(function*() {
    const repo = yield* WatchRepo
    const feed = yield* ChangeFeed
    const headers = {
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
      "x-instance-id": feed.instanceId
    }
    return handlers
      .handle("application", (args) =>
        blockingRead(repo.applicationNamed(args.path.name), (found) => [applicationKey(found.id)], waitOf(args)))
      .handle("configuration", (args) =>
        blockingRead(
          repo.configurationNamed(args.path.name, args.path.configuration_name),
          (configuration) => [configurationKey(configuration.id), applicationKey(configuration.application_id)],
          waitOf(args)
        ))
      .handle("watch", ({ headers: { "last-event-id": lastEventId }, path, request, urlParams }) =>
        Effect.map(
          openStream(path.id, lastEventId ?? urlParams.after, destroyer(request)),
          (body) => HttpServerResponse.raw(body, { contentType: "text/event-stream", headers })
        ))
  }))
