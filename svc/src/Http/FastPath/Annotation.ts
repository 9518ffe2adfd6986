import type { HttpApiEndpoint } from "@effect/platform/HttpApiEndpoint"
import type { HttpMethod } from "@effect/platform/HttpMethod"
import type { SqlClient } from "@effect/sql/SqlClient"
import type { Statement } from "@effect/sql/Statement"
import * as Context from "effect/Context"
import type http from "node:http"
import { type Answer, answerRendered } from "../Edge/Answers.js"

/** What an answer from the cache is given of the request: its headers, and its payload as the endpoint decodes it. */
export interface Asked<Payload> {
  readonly headers: http.IncomingHttpHeaders
  readonly payload: Payload
}

/** How the fast path answers an endpoint: from which read-cache entry, and what the API answers from it. */
export interface CachedAnswer<Path = any, Payload = any, Cached = any> {
  /** The key of the entry, from the request's path as the endpoint decodes it. */
  readonly cacheKey: (path: Path) => string
  /** What the endpoint's handler answers when the entry is `cached`. */
  readonly answer: (cached: Cached, request: Asked<Payload>) => Answer
  /**
   * The statement the handler's repository loads a missing entry with (one row, or none), when
   * the fast path may load it too: it runs the same statement on the same pool (`DirectReads`).
   */
  readonly read?: ((sql: SqlClient, path: Path) => Statement<Cached>) | undefined
}

/** On an endpoint the fast path may answer before the Effect runtime, when its entry is in the read cache. */
export class AnsweredFromCache
  extends Context.Tag("Http/FastPath/AnsweredFromCache")<AnsweredFromCache, CachedAnswer>()
{}

/** Marks an endpoint as answered from the cache by `how` (see `FastPath`). */
export const answeredFromCache = <Path, Payload, Cached>(how: CachedAnswer<Path, Payload, Cached>) =>
<Name extends string, Method extends HttpMethod, P extends Path, Query, Pl extends Payload, Headers, Success, E, R, RE>(
  endpoint: HttpApiEndpoint<Name, Method, P, Query, Pl, Headers, Success, E, R, RE>
) => endpoint.annotate(AnsweredFromCache, how as CachedAnswer)

/**
 * A read of the resource named by the path's `id`: answered with its cached rendered JSON as the
 * handler answers it (`answerRendered`, 304 while `If-None-Match` matches); a miss is loaded with
 * `readById`, the statement the handler's repository reads it with.
 */
export const cachedRead = <Id extends string, Row extends { readonly json: string; readonly etag: string }>(
  cacheKey: (id: Id) => string,
  readById: (sql: SqlClient, id: Id) => Statement<Row>
) =>
  answeredFromCache<{ readonly id: Id }, unknown, Row>({
    cacheKey: (path) => cacheKey(path.id),
    answer: (cached, { headers }) => answerRendered(cached, { ifNoneMatch: headers["if-none-match"] }),
    read: (sql, path) => readById(sql, path.id)
  })
