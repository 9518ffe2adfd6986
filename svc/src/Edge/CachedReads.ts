import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Runtime from "effect/Runtime"
import type http from "node:http"
import * as Applications from "../Applications/Resource.js"
import * as Configurations from "../Configurations/Resource.js"
import { ReadCache } from "../Database/ReadCache.js"
import type { Rendered } from "../Database/Rendered.js"
import type { ApplicationId, ConfigurationId } from "../Domain/Ids.js"
import { Settings } from "../Settings.js"
import { type Access, makeAccess } from "./ApiKeys.js"
import { answerCachedValidation } from "./CachedValidation.js"
import { type AnswerFirst, NodeServer } from "./NodeServer.js"
import { answerRendered, writeAnswer } from "./Rendered.js"
import { logsRequests, requestLog } from "./RequestLog.js"
import { idIn } from "./Routes.js"

export interface CachedReadsOptions {
  /** The read cache's entry for a key, without loading it. */
  readonly peek: (key: string) => unknown
  /** What the request may do under `API_KEYS` (`makeAccess`, the API's own rule). */
  readonly access: (method: string, authorization: string | undefined) => Access
  /** Logs the request as every other request is logged (absent when requests are not logged). */
  readonly log?: ((method: string, url: string, status: number, durationMs: number) => void) | undefined
}

const configurationIdIn = idIn(Configurations.url)
const applicationIdIn = idIn(Applications.url)

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
const answerCachedRead = (options: CachedReadsOptions) =>
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

/**
 * The shortcuts (cached reads, and `POST /validate` against a cached schema: `CachedValidation`)
 * on the service's own `NodeServer`, with the API's key check and log line. Not
 * installed with `CORS_ORIGINS`: the CORS middleware adds its headers to every response, so
 * every response goes through it. Not consulted once shutdown has begun (see `NodeServer`).
 */
export const CachedReadsLive = Layer.scopedDiscard(
  Effect.gen(function*() {
    const server = yield* NodeServer
    const cache = yield* ReadCache
    const settings = yield* Settings
    if (settings.corsOrigins.length > 0) return
    const runtime = yield* Effect.runtime<never>()
    const log = requestLog(settings.logFormat === "json")
    const options: CachedReadsOptions = {
      peek: cache.peek,
      access: makeAccess(settings.apiKeys),
      log: logsRequests(settings.logLevel)
        ? (method, url, status, durationMs) => Runtime.runFork(runtime, log(method, url, status, durationMs))
        : undefined
    }
    const read = answerCachedRead(options)
    const validation = answerCachedValidation({
      ...options,
      bodyLimit: settings.bodyLimit,
      passOn: (request, response) => server.passOn(request, response)
    })
    const answer: AnswerFirst = (request, response) => read(request, response) || validation(request, response)
    yield* Effect.acquireRelease(
      Effect.sync(() => (server.answerFirst = answer)),
      () => Effect.sync(() => (server.answerFirst = undefined))
    )
  })
).pipe(Layer.provide(ReadCache.Default))
