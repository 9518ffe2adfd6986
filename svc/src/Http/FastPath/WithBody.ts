import * as Either from "effect/Either"
import type http from "node:http"
import type { CachedAnswer } from "./Annotation.js"
import type { FastPathOptions } from "./Reads.js"
import { replayOf } from "./Replay.js"
import { type Answer, writeAnswer } from "../Edge/Answers.js"

export interface WithBodyOptions extends FastPathOptions {
  /** Hands a request on to the API, which answers whatever this does not. */
  readonly passOn: (request: http.IncomingMessage, response: http.ServerResponse) => void
}

/** A request with a body the fast path takes: how its endpoint answers, its entry's key and its payload's reading. */
export interface TakenWithBody {
  readonly how: CachedAnswer
  readonly key: string
  /** The body read by the endpoint's middleware and decoded by the endpoint; left for a body the API refuses. */
  readonly payloadOf: (body: Buffer) => Either.Either<unknown, unknown>
}


/**
 * Answers a request with a body — `POST /api/v1/applications/{id}/validate` — straight on the
 * Node.js response once its body is in, when its entry is still in the read cache and the body
 * is one the API reads the same way (`payloadOf`), with what the handler answers (`how.answer`).
 * Otherwise the request goes on to the API with its body replayed, so every error is the API's own.
 */
export const answerWithBody = (options: WithBodyOptions) =>
(taken: TakenWithBody, request: http.IncomingMessage, response: http.ServerResponse): true => {
  const started = performance.now()
  let handedOn = false
  const chunks: Array<Buffer> = []
  request.on("data", (chunk: Buffer) => chunks.push(chunk))
  request.once("error", () => response.destroy())
  // A client gone before its answer is logged as the API logs it: 499.
  response.once("close", () => {
    if (!handedOn && !response.writableEnded) options.log?.(request.method!, request.url!, 499, performance.now() - started)
  })
  request.once("end", () => {
    const body = Buffer.concat(chunks)
    let answer: Answer | undefined
    try {
      const found = options.peek(taken.key)
      const payload = found === undefined ? undefined : taken.payloadOf(body)
      if (payload !== undefined && Either.isRight(payload)) {
        answer = taken.how.answer(found, { headers: request.headers, payload: payload.right })
      }
    } catch {
      // Whatever failed here fails in the API too, which answers it (a logged 500 at worst).
    }
    if (answer === undefined) {
      handedOn = true
      return options.passOn(replayOf(request, body, started), response)
    }
    writeAnswer(response, answer)
    options.log?.(request.method!, request.url!, answer.status, performance.now() - started)
  })
  return true
}
