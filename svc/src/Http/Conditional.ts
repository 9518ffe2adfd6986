import { HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { ifNoneMatch } from "../Domain/ETag.js"
import { setResponseHeader } from "./ResponseHeaders.js"

/** Sends `value` with its `ETag`, or a bodiless 304 when the client's `If-None-Match` still matches. */
export const withETag = <A>(
  value: A,
  etag: string,
  ifNoneMatchHeader: string | undefined
): Effect.Effect<A | HttpServerResponse.HttpServerResponse> =>
  ifNoneMatchHeader !== undefined && ifNoneMatch(ifNoneMatchHeader, etag)
    ? Effect.succeed(HttpServerResponse.empty({ status: 304, headers: { etag } }))
    : Effect.as(setResponseHeader("etag", etag), value)
