import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type http from "node:http"
import { Readable } from "node:stream"
import type { ApplicationId } from "../../Domain/Ids.js"
import { ValidateInput } from "../Schemas/Api.js"
import { conformance } from "../../Schemas/Current.js"
import { validationAnswer } from "../Schemas/ValidationAnswer.js"
import { cacheKey, type CurrentSchema } from "../../Schemas/Resource.js"
import type { FastPathOptions } from "./Reads.js"
import { isJsonBody, jsonBody } from "../Edge/RequestCheck.js"
import { arrivedAt } from "../Edge/RequestLog.js"
import { type Answer, writeAnswer } from "../Edge/Answers.js"
import { idIn } from "../Edge/Routes.js"
import { validationUrl } from "../Urls.js"

export interface CachedValidationOptions extends FastPathOptions {
  /** `BODY_LIMIT`: a larger body is left to the API. */
  readonly bodyLimit: number
  /** Hands a request on to the API, which answers whatever this does not. */
  readonly passOn: (request: http.IncomingMessage, response: http.ServerResponse) => void
}

const applicationIdIn = idIn(validationUrl)

const decodeInput = Schema.decodeUnknownEither(ValidateInput)

/** The config of a body the API would accept as it is (`jsonBody`, `ValidateInput`); else undefined, for the API. */
const configOf = (body: Buffer): unknown => {
  const parsed = jsonBody(body)
  if (Either.isLeft(parsed)) return undefined
  const input = decodeInput(parsed.right.json)
  return Either.isRight(input) ? input.right.config : undefined
}

/** The request again, with the body already read, for the API: what its server request reads of one. */
const replayOf = (request: http.IncomingMessage, body: Buffer, started: number): http.IncomingMessage => {
  const replay = new Readable({
    read() {
      this.push(body)
      this.push(null)
    }
  })
  for (const field of ["headers", "rawHeaders", "url", "method", "httpVersion", "socket", "complete"] as const) {
    Object.defineProperty(replay, field, { value: request[field], enumerable: true })
  }
  Object.defineProperty(replay, arrivedAt, { value: started })
  return replay as unknown as http.IncomingMessage
}

/**
 * Answers `POST /api/v1/applications/{id}/validate` straight on the Node.js response when the
 * application's schema is in the read cache, with what the API answers: the same checks of the
 * body (`RequestCheck`'s `jsonBody`, then `ValidateInput`), `conformance` and `validationAnswer`. It
 * takes only requests the API would read the same way (canonical id, no query, JSON within
 * `BODY_LIMIT` by `content-length`, granted by the key check); a body the API would refuse, or a
 * schema no longer cached once the body is in, goes on to the API with the body replayed.
 */
export const answerCachedValidation = (options: CachedValidationOptions) =>
(request: http.IncomingMessage, response: http.ServerResponse): boolean => {
  if (request.method !== "POST") return false
  const id = applicationIdIn(request.url!)
  if (id === undefined) return false
  const length = request.headers["content-length"]
  if (length === undefined || !(Number(length) <= options.bodyLimit) || !isJsonBody(request.headers["content-type"])) {
    return false
  }
  if (options.access(request.method, request.headers.authorization)._tag !== "Granted") return false
  const key = cacheKey(id as ApplicationId)
  if (options.peek(key) === undefined) return false
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
      const found = options.peek(key) as CurrentSchema | undefined
      const config = found === undefined ? undefined : configOf(body)
      if (config !== undefined) answer = validationAnswer(conformance(found!, config))
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
