import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { ifNoneMatch } from "../Domain/ETag.js"

const encoder = new TextEncoder()

/**
 * Encoded bodies by the rendered value they came from. Values served from the read cache are
 * the same objects request after request, so each is encoded once; the rest are collected.
 */
const encoded = new WeakMap<object, Uint8Array>()

export const bodyOf = (source: object, render: () => string) => {
  let body = encoded.get(source)
  if (body === undefined) {
    body = encoder.encode(render())
    encoded.set(source, body)
  }
  return body
}

/**
 * The response for a resource PostgreSQL already rendered as JSON: sent as it is, with its
 * `ETag` (and `Location` for a 201) — or a bodiless 304 while `If-None-Match` still matches.
 */
export const renderedResponse = (
  rendered: { readonly json: string; readonly etag: string },
  options: { readonly status?: number; readonly location?: string; readonly ifNoneMatch?: string | undefined } = {}
): HttpServerResponse.HttpServerResponse => {
  const { etag } = rendered
  if (options.ifNoneMatch !== undefined && ifNoneMatch(options.ifNoneMatch, etag)) {
    return HttpServerResponse.empty({ status: 304, headers: { etag } })
  }
  return HttpServerResponse.uint8Array(bodyOf(rendered, () => rendered.json), {
    status: options.status ?? 200,
    contentType: "application/json",
    headers: options.location === undefined ? { etag } : { etag, location: options.location }
  })
}

/** A JSON array of resources PostgreSQL already rendered, in their order. */
export const renderedListResponse = (items: ReadonlyArray<{ readonly json: string }>) =>
  HttpServerResponse.uint8Array(bodyOf(items, () => `[${items.map((item) => item.json).join(",")}]`), {
    contentType: "application/json"
  })
