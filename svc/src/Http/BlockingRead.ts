import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import { ChangeWaits } from "../ChangeFeed/ChangeWaits.js"
import { ifNoneMatch } from "../Domain/ETag.js"
import type { Rendered } from "../Postgres/SqlJson.js"
import { renderedResponse } from "./Edge/Answers.js"

export interface BlockingReadOptions {
  readonly ifNoneMatch: string | undefined
  /** Seconds to hold the read while `If-None-Match` still matches. */
  readonly wait: number | undefined
}

/** `If-None-Match` and `?wait=` of a request to an endpoint declared a `waitableRead` (`Endpoints.ts`). */
export const waitOf = (
  { request, urlParams }: {
    readonly request: HttpServerRequest.HttpServerRequest
    readonly urlParams: { readonly wait?: number | undefined }
  }
): BlockingReadOptions => ({ ifNoneMatch: request.headers["if-none-match"], wait: urlParams.wait })

/**
 * A read's answer: the resource with its `ETag`, or 304 while `If-None-Match` matches. With
 * `wait`, a matching read is held — on a wait for `keysOf(resource)` that holds no database
 * connection, made before the resource is read again — until it no longer matches (200 at
 * once, or the read's failure, such as 404) or the wait ends (304). Each wake-up reads again.
 */
export const blockingRead = <A extends Rendered<string>, E, R>(
  read: Effect.Effect<A, E, R>,
  keysOf: (resource: A) => ReadonlyArray<string>,
  options: BlockingReadOptions
) =>
  Effect.gen(function*() {
    const header = options.ifNoneMatch
    const first = yield* read
    if (options.wait === undefined || header === undefined || !ifNoneMatch(header, first.etag)) {
      return renderedResponse(first, { ifNoneMatch: header })
    }
    const waits = yield* ChangeWaits
    const changed = (current: A) => current.id !== first.id || !ifNoneMatch(header, current.etag)
    const last = yield* waits.hold(keysOf(first), options.wait, read, changed)
    return changed(last) ? renderedResponse(last) : renderedResponse(last, { ifNoneMatch: header })
  })
