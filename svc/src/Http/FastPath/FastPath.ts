import type * as HttpApi from "@effect/platform/HttpApi"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Runtime from "effect/Runtime"
import type http from "node:http"
import { ReadCache } from "../../ChangeFeed/ReadCache.js"
import { Settings, type SettingsShape } from "../../Settings.js"
import { Api } from "../Api.js"
import { type AnswerFirst, NodeServer } from "../Edge/NodeServer.js"
import { logsRequests, requestLog } from "../Edge/RequestLog.js"
import type { CachedAnswer } from "./Annotation.js"
import { type Answerable, answerableOf } from "./Answerable.js"
import { routeMatcher } from "./Matcher.js"
import { answerCachedRead, type FastPathOptions } from "./Reads.js"
import { twins } from "./Twins.js"
import { answerWithBody } from "./WithBody.js"

/** A request the fast path takes: its endpoint's answer, the key of its entry, and the endpoint's rules. */
interface Taken {
  readonly how: CachedAnswer
  readonly key: string
  /** Whether every middleware of the endpoint lets the request through untouched. */
  readonly passes: (request: http.IncomingMessage) => boolean
  readonly payloadOf: ((body: Buffer) => Either.Either<unknown, unknown>) | undefined
}

/** The routes of the fast path: each answerable endpoint's matcher, giving what a request needs once taken. */
const routesOf = (answerable: ReadonlyArray<Answerable>, settings: SettingsShape) =>
  answerable.map((endpoint) => {
    const checks = endpoint.twins.map((twin) => twin.passes(settings))
    const readsBody = endpoint.twins.find((twin) => twin.readsBody !== undefined)?.readsBody
    const decodePayload = endpoint.decodePayload
    const rules = {
      passes: (request: http.IncomingMessage) => checks.every((passes) => passes(request)),
      payloadOf: decodePayload && ((body: Buffer) => Either.flatMap(readsBody!(body), decodePayload))
    }
    return {
      method: endpoint.method,
      match: (path: string): Taken | undefined => {
        const decoded = endpoint.match(path)
        return decoded === undefined ? undefined : { how: endpoint.how, key: endpoint.how.cacheKey(decoded), ...rules }
      }
    }
  })

/**
 * The fast path of `api`: each endpoint annotated `AnsweredFromCache` answered from the read cache
 * on the service's own `NodeServer`, before the Effect runtime, on the endpoint's own route and
 * schemas, with the twins of its middlewares (`Twins`) and the API's log line. Refused at build
 * (a defect naming the middleware and the endpoint) while a middleware has no twin. Not installed
 * with `CORS_ORIGINS`: the CORS middleware adds its headers to every response, so every response
 * goes through it. Not consulted once shutdown has begun (see `NodeServer`).
 */
export const fastPathFor = (api: HttpApi.HttpApi.Any) =>
  Layer.scopedDiscard(
    Effect.gen(function*() {
      const answerable = yield* Effect.orDie(answerableOf(api, twins))
      const server = yield* NodeServer
      const cache = yield* ReadCache
      const settings = yield* Settings
      if (settings.corsOrigins.length > 0) return
      const runtime = yield* Effect.runtime<never>()
      const log = requestLog(settings.logFormat === "json")
      const options: FastPathOptions = {
        peek: cache.peek,
        log: logsRequests(settings.logLevel)
          ? (method, url, status, durationMs) => Runtime.runFork(runtime, log(method, url, status, durationMs))
          : undefined
      }
      const match = routeMatcher(routesOf(answerable, settings))
      const read = answerCachedRead(options)
      const withBody = answerWithBody({ ...options, passOn: (request, response) => server.passOn(request, response) })
      const answer: AnswerFirst = (request, response) => {
        const taken = match(request.method!, request.url!)
        if (taken === undefined || !taken.passes(request)) return false
        const cached = cache.peek(taken.key)
        if (cached === undefined) return false
        return taken.payloadOf === undefined
          ? read(taken.how, cached, request, response)
          : withBody({ how: taken.how, key: taken.key, payloadOf: taken.payloadOf }, request, response)
      }
      yield* Effect.acquireRelease(
        Effect.sync(() => (server.answerFirst = answer)),
        () => Effect.sync(() => (server.answerFirst = undefined))
      )
    })
  ).pipe(Layer.provide(ReadCache.Default))

/** The service's fast path, for its `Api`. */
export const FastPathLive = fastPathFor(Api)
