import type http from "node:http"
import type { Rendered } from "../Database/Rendered.js"
import { ifNoneMatch } from "../Domain/ETag.js"
import { canonicalUlid } from "../Domain/Ids.js"
import { bodyOf } from "./Conditional.js"
import { nosniff } from "./ResponseHeaders.js"

export interface CachedReadsOptions {
  /** The read cache's entry for a key (`c:<id>`, `a:<id>`), without loading it. */
  readonly peek: (key: string) => unknown
  /** Whether the `Authorization` header lets this request read; always true without `API_KEYS`. */
  readonly mayRead: (authorization: string | undefined) => boolean
  /** Logs the request as the HTTP middleware does (absent when requests are not logged). */
  readonly log?: ((method: string, url: string, status: number, durationMs: number) => void) | undefined
}

const resource = /^\/api\/v1\/(configurations|applications)\/([^/?#;]+)$/

/**
 * Answers `GET /api/v1/configurations/{id}` and `GET /api/v1/applications/{id}` from the read
 * cache straight on the Node.js response, before the request enters the Effect runtime — the
 * same status, headers and bytes the API's handlers send for that entry (200 with `ETag`, or
 * 304 while `If-None-Match` matches). Returns false, touching nothing, for every other request:
 * other methods and paths, non-canonical ids, query strings, cache misses and requests the
 * API-key check would refuse. Those go through the API. (With `CORS_ORIGINS` set the server
 * does not install this at all: the CORS middleware adds headers to every response.)
 */
export const answerCachedRead = (options: CachedReadsOptions) =>
(request: http.IncomingMessage, response: http.ServerResponse): boolean => {
  if (request.method !== "GET") return false
  const match = resource.exec(request.url!)
  if (match === null || !canonicalUlid.test(match[2]!)) return false
  if (!options.mayRead(request.headers.authorization)) return false
  const cached = options.peek(`${match[1] === "configurations" ? "c" : "a"}:${match[2]}`) as Rendered<string> | undefined
  if (cached === undefined) return false
  const started = options.log && performance.now()
  const { etag } = cached
  const condition = request.headers["if-none-match"]
  let status = 200
  if (condition !== undefined && ifNoneMatch(condition, etag)) {
    status = 304
    response.writeHead(304, { etag, ...nosniff })
    response.end()
  } else {
    const body = bodyOf(cached, () => cached.json)
    response.writeHead(200, {
      etag,
      "content-type": "application/json",
      "content-length": body.length,
      ...nosniff
    })
    response.end(body)
  }
  options.log?.(request.method, request.url!, status, performance.now() - started!)
  return true
}
