import { expect } from "@effect/vitest"
import { Effect } from "effect"
import type { makeDocumentChecker } from "./ApiDocument.js"
import { exchange, served } from "./Requests.js"

/**
 * The sender of the suites that throw generated or hostile input at the API
 * (Api.property.test.ts, Api.hostile.test.ts), and the rules every answer they get must keep.
 */

type Json = any

/** A request as sent: the path (query string included), headers and body exactly as given. */
export interface Sent {
  readonly method: string
  readonly path: string
  /** Text or bytes, sent as they are. */
  readonly body?: string | Uint8Array
  /** The body's content type: application/json unless given; `null` sends an empty one (in-process only). */
  readonly contentType?: string | null
  readonly headers?: Readonly<Record<string, string>>
}

export interface Reply {
  /** What was sent and what came back, for failure messages. */
  readonly label: string
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly text: string
  /** The body parsed as JSON, `undefined` when it is empty or not JSON. */
  readonly json: Json
}

export interface Rules {
  /** The served API document's checker: every answer must be one the document has. */
  readonly document?: ReturnType<typeof makeDocumentChecker>
  /**
   * The property suite's terms on top of the common ones: only 2xx, 304 or 4xx; `nosniff` on
   * every answer; successful bodies JSON; a decode error's message one line per problem in the
   * user's words; no stack trace or SQL in an error whatever was sent. Its successful answers
   * list what earlier requests stored, so only its errors are searched for `leakMarkers`.
   */
  readonly strict?: boolean
}

/** What an answer must never show, unless the request itself sent that text. */
export const leakMarkers = [
  "    at ",
  "SELECT",
  "INSERT",
  "postgres://",
  "postgresql://",
  "duplicate key value",
  "violates",
  "syntax error",
  "SqlError",
  "node_modules",
  ".ts:"
]

const short = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}…(${s.length})` : s)

/** The text a request sent, which its answer may show back (the path and a text body). */
const sentText = (sent: Sent) => `${sent.path} ${typeof sent.body === "string" ? sent.body : ""}`

export const expectNoLeaks = (reply: Reply, sent: Sent) => {
  const text = sentText(sent)
  for (const marker of leakMarkers) {
    if (!text.includes(marker)) expect(reply.text, reply.label).not.toContain(marker)
  }
}

/**
 * What every answer must satisfy: never a 5xx; an error as JSON with `nosniff` and a string
 * `_tag` and `message` (a 431, answered by Node.js before the service sees the request, aside);
 * no `leakMarkers`; and what `rules` add.
 */
export const expectSound = (reply: Reply, sent: Sent, rules: Rules = {}) => {
  const { label, status } = reply
  expect(status, label).toBeLessThan(500)
  if (rules.strict) {
    expect(status >= 200, label).toBe(true)
    expect(status < 300 || status === 304 || status >= 400, label).toBe(true)
    expect(reply.headers["x-content-type-options"], label).toBe("nosniff")
    if (status < 400 && reply.text !== "") expect(reply.json, `${label}: not JSON`).toBeDefined()
  }
  if (status >= 400 && (rules.strict || status !== 431)) {
    expect(reply.headers["x-content-type-options"], label).toBe("nosniff")
    expect(reply.headers["content-type"], label).toMatch(/^application\/json/)
    expect(reply.json, label).toBeDefined()
    expect(typeof reply.json._tag, label).toBe("string")
    expect(typeof reply.json.message, label).toBe("string")
    if (rules.strict) {
      if (reply.json._tag === "HttpApiDecodeError") {
        // one line per problem in the user's words, never Effect's schema tree
        expect(reply.json.message, label).not.toMatch(/refinement failure|transformation failure|Brand<|\n/)
      }
      expect(reply.text, label).not.toContain("    at ")
      expect(reply.text, label).not.toMatch(/\b(SELECT|INSERT INTO|UPDATE applications|DELETE FROM)\b|postgres:\/\//)
    }
  }
  if (status >= 400 || !rules.strict) expectNoLeaks(reply, sent)
  if (rules.document) {
    expect(rules.document({ method: sent.method, url: sent.path, status, headers: reply.headers, text: reply.text }), label)
      .toEqual([])
  }
}

/**
 * Sends `sent`, unchecked: through the in-process `HttpClient` (`"client"`) or over node:http to
 * the test server (`"socket"`: the path, bytes and headers go out exactly as written).
 */
export const answerTo = (via: "client" | "socket", sent: Sent) =>
  Effect.gen(function*() {
    const answer = via === "client"
      ? yield* exchange(sent.method, sent.path, {
        ...(sent.body === undefined ? {} : { body: sent.body }),
        ...(sent.contentType === undefined ? {} : { contentType: sent.contentType }),
        ...(sent.headers === undefined ? {} : { headers: sent.headers })
      })
      : yield* served(sent.method, sent.path, {
        ...(sent.body === undefined ? {} : { body: sent.body }),
        ...(sent.headers === undefined ? {} : { headers: sent.headers })
      })
    const body = sent.body === undefined ? "" : typeof sent.body === "string" ? sent.body : `<${sent.body.length} bytes>`
    const label = `${sent.method} ${short(sent.path, 200)} ${JSON.stringify(sent.headers ?? {})} ${
      JSON.stringify(sent.contentType)
    } ${short(body)} → ${answer.status} ${short(answer.text)}`
    return { label, status: answer.status, headers: answer.headers as Reply["headers"], text: answer.text, json: answer.json }
  }).pipe(Effect.orDie)

/** `answerTo`, and the answer held to `expectSound`. */
export const checkedSend = (via: "client" | "socket", sent: Sent, rules: Rules = {}) =>
  Effect.tap(answerTo(via, sent), (reply) => expectSound(reply, sent, rules))
