import type http from "node:http"
import { writeAnswer } from "../Edge/Answers.js"
import type { CachedAnswer } from "./Annotation.js"

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
