import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import type http from "node:http"
import { ifNoneMatch } from "../../Domain/ETag.js"
import { finishingHeaders, setResponseHeader } from "./ResponseHeaders.js"

const encoder = new TextEncoder()

/**
 * Encoded bodies by the rendered value they came from. Values served from the read cache are
 * the same objects request after request, so each is encoded once; the rest are collected.
 */
const encoded = new WeakMap<object, Uint8Array>()

const bodyOf = (source: object, render: () => string) => {
  let body = encoded.get(source)
  if (body === undefined) {
    body = encoder.encode(render())
    encoded.set(source, body)
  }
  return body
}

/** Status, headers and body, before the finishing headers every response gets. */
export interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array | undefined
}

export interface RenderedOptions {
  readonly status?: number
  readonly location?: string
  readonly ifNoneMatch?: string | undefined
}

/**
 * The answer for a resource PostgreSQL already rendered as JSON: sent as it is, with its
 * `ETag` (and `Location` for a 201) — or a bodiless 304 while `If-None-Match` still matches.
 * The API's handlers and the cached-read shortcut both send exactly this.
 */
export const answerRendered = (
  rendered: { readonly json: string; readonly etag: string },
  options: RenderedOptions = {}
): Answer => {
  const { etag } = rendered
  if (options.ifNoneMatch !== undefined && ifNoneMatch(options.ifNoneMatch, etag)) {
    return { status: 304, headers: { etag }, body: undefined }
  }
  const body = bodyOf(rendered, () => rendered.json)
  const headers = { etag, "content-type": "application/json", "content-length": String(body.length) }
  return {
    status: options.status ?? 200,
    headers: options.location === undefined ? headers : { ...headers, location: options.location },
    body
  }
}

/** A JSON body, as the service sends one. */
export const jsonAnswer = (status: number, json: string): Answer => {
  const body = encoder.encode(json)
  return { status, headers: { "content-type": "application/json", "content-length": String(body.length) }, body }
}

/** An `Answer` written straight on a Node.js response, with the finishing headers (what the shortcuts send). */
export const writeAnswer = (response: http.ServerResponse, answer: Answer) => {
  response.writeHead(answer.status, { ...answer.headers, ...finishingHeaders(answer.status) })
  response.end(answer.body)
}

/** An `Answer` as the Effect server's response (which sets content type and length itself). */
export const toServerResponse = (answer: Answer): HttpServerResponse.HttpServerResponse => {
  if (answer.body === undefined) return HttpServerResponse.empty({ status: answer.status, headers: answer.headers })
  const { "content-length": _, "content-type": contentType, ...headers } = answer.headers
  return HttpServerResponse.uint8Array(answer.body, { status: answer.status, contentType, headers })
}

export const renderedResponse = (rendered: { readonly json: string; readonly etag: string }, options?: RenderedOptions) =>
  toServerResponse(answerRendered(rendered, options))

/** A JSON array of resources PostgreSQL already rendered, in their order. */
export const renderedListResponse = (items: ReadonlyArray<{ readonly json: string }>) =>
  HttpServerResponse.uint8Array(bodyOf(items, () => `[${items.map((item) => item.json).join(",")}]`), {
    contentType: "application/json"
  })

/** The `Link` header value that points at a list's next page. */
export const nextLink = (url: string) => `<${url}>; rel="next"`

/**
 * A rendered list, with `limit` one page of it: `read` is asked for one more row than the page
 * holds, and while more remain a `Link` header points at the page after the last row shown (`next`).
 */
export const pagedListResponse = <A extends { readonly json: string }, E, R>(
  limit: number | undefined,
  read: (limit: number | undefined) => Effect.Effect<ReadonlyArray<A>, E, R>,
  next: (last: A, limit: number) => string
) =>
  limit === undefined
    ? Effect.map(read(undefined), renderedListResponse)
    : Effect.gen(function*() {
      const page = yield* read(limit + 1)
      if (page.length <= limit) return renderedListResponse(page)
      const items = page.slice(0, limit)
      yield* setResponseHeader("link", nextLink(next(items[items.length - 1]!, limit)))
      return renderedListResponse(items)
    })
