import type http from "node:http"
import { writeAnswer } from "../Edge/Answers.js"
import type { CachedAnswer } from "./Annotation.js"
import { replayOf } from "./Replay.js"

export interface FastPathOptions {
  /** The read cache's entry for a key, without loading it. */
  readonly peek: (key: string) => unknown
  /** Logs the request as every other request is logged (absent when requests are not logged). */
  readonly log?: ((method: string, url: string, status: number, durationMs: number) => void) | undefined
}

/**
 * Answers a request without a body — `GET /api/v1/configurations/{id}`, `GET
 * /api/v1/applications/{id}` — from its read-cache entry `cached`, straight on the Node.js
 * response, with what the endpoint's handler sends for the same entry (`how.answer`) and the
 * `finishingHeaders`, logged as every request is.
 */
export const answerCachedRead = (options: FastPathOptions) =>
(how: CachedAnswer, cached: unknown, request: http.IncomingMessage, response: http.ServerResponse): true => {
  const started = options.log && performance.now()
  const answer = how.answer(cached, { headers: request.headers, payload: undefined })
  writeAnswer(response, answer)
  options.log?.(request.method!, request.url!, answer.status, performance.now() - started!)
  return true
}

export interface MissedReadOptions extends FastPathOptions {
  /** The entry `key` loaded with `how.read` for `path`, kept by the read cache's rule; undefined when there is no row. */
  readonly load: (how: CachedAnswer, key: string, path: unknown) => Promise<unknown>
  /** Hands a request on to the API, which answers whatever this does not. */
  readonly passOn: (request: http.IncomingMessage, response: http.ServerResponse) => void
}

const noBody = Buffer.alloc(0)

/**
 * Answers a read whose entry is not cached: loads it with the statement the endpoint's repository
 * reads it with (`how.read`), and answers as from the cache (`how.answer`). A resource that is not
 * there, and any failure, goes on to the API, which answers it (404, 503 …) itself.
 */
export const answerMissedRead = (options: MissedReadOptions) =>
(how: CachedAnswer, key: string, path: unknown, request: http.IncomingMessage, response: http.ServerResponse): true => {
  const started = performance.now()
  const handOn = () => options.passOn(replayOf(request, noBody, started), response)
  options.load(how, key, path).then((row) => {
    if (row === undefined) return handOn()
    const answer = how.answer(row, { headers: request.headers, payload: undefined })
    writeAnswer(response, answer)
    options.log?.(request.method!, request.url!, answer.status, performance.now() - started)
  }, handOn)
  return true
}
