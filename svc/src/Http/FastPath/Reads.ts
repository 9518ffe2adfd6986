import type http from "node:http"
import * as Applications from "../../Applications/Resource.js"
import * as Configurations from "../../Configurations/Resource.js"
import type { Rendered } from "../../Postgres/SqlJson.js"
import type { ApplicationId, ConfigurationId } from "../../Domain/Ids.js"
import type { Access } from "../../Domain/ApiKeys.js"
import { answerRendered, writeAnswer } from "../Edge/Answers.js"
import { idIn } from "../Edge/Routes.js"
import { applicationUrl, configurationUrl } from "../Urls.js"

export interface FastPathOptions {
  /** The read cache's entry for a key, without loading it. */
  readonly peek: (key: string) => unknown
  /** What the request may do under `API_KEYS` (`makeAccess`, the API's own rule). */
  readonly access: (method: string, authorization: string | undefined) => Access
  /** Logs the request as every other request is logged (absent when requests are not logged). */
  readonly log?: ((method: string, url: string, status: number, durationMs: number) => void) | undefined
}

const configurationIdIn = idIn(configurationUrl)
const applicationIdIn = idIn(applicationUrl)

/** The read-cache key of the resource a GET of `url` reads, when the shortcut may answer it. */
const cacheKeyOf = (url: string) => {
  const configuration = configurationIdIn(url)
  if (configuration !== undefined) return Configurations.cacheKey(configuration as ConfigurationId)
  const application = applicationIdIn(url)
  return application === undefined ? undefined : Applications.cacheKey(application as ApplicationId)
}

/**
 * Answers `GET /api/v1/configurations/{id}` and `GET /api/v1/applications/{id}` from the read
 * cache straight on the Node.js response, before the request enters the Effect runtime, with
 * what the API sends for the same entry: `answerRendered` and the `finishingHeaders`. Returns
 * false, touching nothing, for every other request — other methods and paths, non-canonical
 * ids, query strings, cache misses, requests the API-key check would refuse — which go to the API.
 */
export const answerCachedRead = (options: FastPathOptions) =>
(request: http.IncomingMessage, response: http.ServerResponse): boolean => {
  if (request.method !== "GET") return false
  const key = cacheKeyOf(request.url!)
  if (key === undefined) return false
  if (options.access(request.method, request.headers.authorization)._tag !== "Granted") return false
  const cached = options.peek(key) as Rendered<string> | undefined
  if (cached === undefined) return false
  const started = options.log && performance.now()
  const answer = answerRendered(cached, { ifNoneMatch: request.headers["if-none-match"] })
  writeAnswer(response, answer)
  options.log?.(request.method, request.url!, answer.status, performance.now() - started!)
  return true
}
