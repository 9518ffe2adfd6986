import type * as HttpApi from "@effect/platform/HttpApi"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as SqlClient from "@effect/sql/SqlClient"
import { DatabaseLoad, queueFull } from "../../Postgres/DatabaseLoad.js"
import { DirectReads } from "../../Postgres/DirectReads.js"
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
import { answerCachedRead, answerMissedRead, type FastPathOptions } from "./Reads.js"
import { twins } from "./Twins.js"
import { answerWithBody } from "./WithBody.js"

/** A request the fast path takes: its endpoint's answer, the key of its entry, and the endpoint's rules. */
interface Taken {
  readonly how: CachedAnswer
  readonly key: string
  /** The request's path as the endpoint decodes it. */
  readonly path: unknown
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
        return decoded === undefined
          ? undefined
          : { how: endpoint.how, key: endpoint.how.cacheKey(decoded), path: decoded, ...rules }
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
      const passOn = (request: http.IncomingMessage, response: http.ServerResponse) => server.passOn(request, response)
      const withBody = answerWithBody({ ...options, passOn })
      const sql = yield* SqlClient.SqlClient
      const direct = Option.getOrUndefined(yield* Effect.serviceOption(DirectReads))
      const load = Option.getOrUndefined(yield* Effect.serviceOption(DatabaseLoad))
      const missed = answerMissedRead({
        ...options,
        passOn,
        load: (how, key, path) =>
          cache.shared(key, () => {
            const [text, params] = how.read!(sql, path).compile()
            return direct!.query(text, params).then((rows) => rows[0])
          })
      })
      /**
       * A miss is loaded here only while PostgreSQL answers and the pool's queue is short enough
       * that the API would let it wait too: otherwise the API's guard decides (sheds, or says unavailable).
       */
      const loadsHere = (taken: Taken) =>
        taken.how.read !== undefined && taken.payloadOf === undefined && direct !== undefined &&
        load !== undefined && load.answering() && !queueFull(load)
      const answer: AnswerFirst = (request, response) => {
        const taken = match(request.method!, request.url!)
        if (taken === undefined || !taken.passes(request)) return false
        const cached = cache.peek(taken.key)
        if (cached === undefined) return loadsHere(taken) && missed(taken.how, taken.key, taken.path, request, response)
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
