import { HttpServerResponse } from "@effect/platform"
import { ifNoneMatch } from "../Domain/ETag.js"

/**
 * The response for a resource PostgreSQL already rendered as JSON: sent as it is, with its
 * `ETag` (and `Location` for a 201) — or a bodiless 304 while `If-None-Match` still matches.
 */
export const renderedResponse = (
  json: string,
  etag: string,
  options: { readonly status?: number; readonly location?: string; readonly ifNoneMatch?: string | undefined } = {}
): HttpServerResponse.HttpServerResponse => {
  if (options.ifNoneMatch !== undefined && ifNoneMatch(options.ifNoneMatch, etag)) {
    return HttpServerResponse.empty({ status: 304, headers: { etag } })
  }
  return HttpServerResponse.text(json, {
    status: options.status ?? 200,
    contentType: "application/json",
    headers: options.location === undefined ? { etag } : { etag, location: options.location }
  })
}

/** A JSON array PostgreSQL already rendered, item by item. */
export const renderedListResponse = (items: ReadonlyArray<{ readonly json: string }>) =>
  HttpServerResponse.text(`[${items.map((item) => item.json).join(",")}]`, { contentType: "application/json" })
