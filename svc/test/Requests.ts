import { HttpBody, HttpClient, HttpClientRequest, HttpServer } from "@effect/platform"
import { Effect } from "effect"
import { type HttpOutcome, type HttpRequest, type HttpResponse, send } from "./Net.js"

/**
 * The tests' requests, in one place. Where the API is the subject, prefer the typed client
 * (`makeClient()` in src/Client.ts); these are for what it cannot say: raw bodies, headers,
 * methods and paths, and the bytes of an answer.
 */

type Json = any

/** An answer read to its end. */
export interface Exchanged {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  /** The body parsed as JSON, `undefined` when it is empty or not JSON. */
  readonly json: Json
}

export interface ExchangeOptions {
  /** A value sent as JSON. */
  readonly json?: unknown
  /** A body sent as it is (instead of `json`). */
  readonly body?: string | Uint8Array
  /** The body's content type: application/json unless given; `null` sends an empty one. */
  readonly contentType?: string | null
  readonly headers?: Readonly<Record<string, string>>
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string
}

const parsed = (text: string): Json => {
  try {
    return text === "" ? undefined : JSON.parse(text)
  } catch {
    return undefined
  }
}

/** One request through the in-process `HttpClient` (the test server's, in `ServiceTest`). */
export const exchange = (method: string, path: string, options: ExchangeOptions = {}) =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    let request = HttpClientRequest.make(method as "GET")(path)
    const contentType = options.contentType === undefined ? "application/json" : options.contentType ?? ""
    const body = options.body !== undefined
      ? options.body
      : options.json !== undefined
      ? JSON.stringify(options.json)
      : undefined
    if (body !== undefined) {
      request = HttpClientRequest.setBody(
        request,
        typeof body === "string" ? HttpBody.text(body, contentType) : HttpBody.uint8Array(body, contentType)
      )
    }
    if (options.headers !== undefined) request = HttpClientRequest.setHeaders(request, options.headers)
    if (options.token !== undefined) request = HttpClientRequest.bearerToken(request, options.token)
    const response = yield* http.execute(request)
    const text = yield* response.text
    return { status: response.status, headers: response.headers, text, json: parsed(text) } satisfies Exchanged
  })

/** An answer over node:http, its JSON typed loosely for tests to look into. */
export type Served = Omit<HttpResponse, "json"> & { readonly json: Json }

const describeOutcome = (outcome: HttpOutcome) =>
  outcome._tag === "Response" ? `${outcome.status} ${outcome.text.slice(0, 300)}` : `${outcome.code} (${outcome.message})`

/** One request over node:http (`Net.send`) that may fail: a dropped connection is an outcome, not an error. */
export const outcome = (port: number, options: Omit<HttpRequest, "port">) => Effect.promise(() => send({ port, ...options }))

/** One request over node:http to `port`; anything but an answer read to its end fails the test, saying what happened. */
export const response = (port: number, options: Omit<HttpRequest, "port">) =>
  Effect.flatMap(outcome(port, options), (result): Effect.Effect<Served> =>
    result._tag === "Response"
      ? Effect.succeed(result)
      : Effect.die(new Error(`${options.method ?? "GET"} ${options.path.slice(0, 200)}: ${describeOutcome(result)}`)))

/** The test server's port. */
export const serverPort = Effect.map(HttpServer.HttpServer, (server) => (server.address as HttpServer.TcpAddress).port)

/**
 * One request over node:http to the test server, exactly as given: the path, the body's bytes
 * (framed by a content-length, on any method) and the headers go out as written.
 */
export const served = (
  method: string,
  path: string,
  options: { readonly body?: string | Uint8Array; readonly headers?: Readonly<Record<string, string>>; readonly token?: string } =
    {}
) =>
  Effect.flatMap(serverPort, (port) =>
    response(port, {
      method,
      path,
      ...(options.body === undefined ? {} : { raw: options.body }),
      headers: { ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }), ...options.headers }
    }))
