import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Runtime from "effect/Runtime"
import { ReadCache } from "../../ChangeFeed/ReadCache.js"
import { makeAccess } from "../../Domain/ApiKeys.js"
import { Settings } from "../../Settings.js"
import { type AnswerFirst, NodeServer } from "../Edge/NodeServer.js"
import { logsRequests, requestLog } from "../Edge/RequestLog.js"
import { answerCachedRead, type FastPathOptions } from "./Reads.js"
import { answerCachedValidation } from "./Validation.js"

/**
 * The fast path: cached reads (`Reads`) and `POST /validate` against a cached schema
 * (`Validation`), answered on the service's own `NodeServer` before the Effect runtime, with the
 * API's key check and log line. Not installed with `CORS_ORIGINS`: the CORS middleware adds its
 * headers to every response, so every response goes through it. Not consulted once shutdown has
 * begun (see `NodeServer`).
 */
export const FastPathLive = Layer.scopedDiscard(
  Effect.gen(function*() {
    const server = yield* NodeServer
    const cache = yield* ReadCache
    const settings = yield* Settings
    if (settings.corsOrigins.length > 0) return
    const runtime = yield* Effect.runtime<never>()
    const log = requestLog(settings.logFormat === "json")
    const options: FastPathOptions = {
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
