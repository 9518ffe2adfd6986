import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import { Api } from "../Api.js"
import { ConfigurationsRepo } from "../../Configurations/Repo.js"
import { configurationUrl, versionsPageUrl } from "../Urls.js"
import { applicationKey, revisionsKey } from "../../ChangeFeed/ChangeKeys.js"
import type { ConfigObject } from "../../Domain/Configuration.js"
import { preconditionOf } from "../../Domain/ETag.js"
import type { ApplicationId, ConfigurationId } from "../../Domain/Ids.js"
import { jsonPatchMediaType } from "../../Domain/JsonPatch.js"
import { RequestActor } from "../Edge/Authentication.js"
import { pagedListResponse, renderedResponse } from "../Edge/Answers.js"
import type { VersionsParams } from "./Api.js"
import { configDiff } from "../../History/Diff.js"
import { longPoll } from "../../History/LongPoll.js"
import { HistoryRepo } from "../../History/Repo.js"
import { changesJson, type RenderedVersion } from "../../History/Resource.js"

const json = (body: string, contentType = "application/json") => HttpServerResponse.text(body, { contentType })

const configOf = (version: RenderedVersion): ConfigObject => JSON.parse(version.json).config

/** What wakes a long poll: any new revision of the application, and a change to it so its deletion is a 404. */
const changeKeys = (id: ApplicationId) => [revisionsKey(id), applicationKey(id)]

export const HistoryHttpLive = HttpApiBuilder.group(Api, "history", (handlers) =>
  Effect.gen(function*() {
    const history = yield* HistoryRepo
    const configurations = yield* ConfigurationsRepo

    const versionsPage = (id: ConfigurationId, { before, limit }: VersionsParams) =>
      pagedListResponse(limit, (limit) => history.versions(id, { before, limit }), (last, limit) => versionsPageUrl(id, limit, last.version))

    const latest = (id: ConfigurationId) => Effect.map(history.versions(id, { limit: 1 }), (rows) => rows[0]!)

    return handlers
      .handle("versions", ({ path, urlParams }) => versionsPage(path.id, urlParams))
      .handle("version", ({ path }) => Effect.map(history.version(path.id, path.version), (row) => json(row.json)))
      .handle("diff", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const from = yield* history.version(path.id, path.version)
          const to = yield* (urlParams.to === undefined ? latest(path.id) : history.version(path.id, urlParams.to))
          return json(JSON.stringify(configDiff(configOf(from), configOf(to))), jsonPatchMediaType)
        }))
      .handle("restore", ({ path, request }) =>
        RequestActor.pipe(
          Effect.flatMap((actor) =>
            configurations.restore(path.id, path.version, preconditionOf(request.headers["if-match"]), actor.name)
          ),
          Effect.map(({ configuration, created }) =>
            created
              ? renderedResponse(configuration, { status: 201, location: configurationUrl(path.id) })
              : renderedResponse(configuration)
          )
        ))
      .handle("changes", ({ path, urlParams: { after, limit, wait } }) => {
        const read = history.changes(path.id, { after, limit })
        return Effect.map(
          wait === undefined ? read : longPoll(read, changeKeys(path.id), wait),
          (page) => json(changesJson(page))
        )
      })
  }))
