import type { HttpApiEndpoint } from "@effect/platform/HttpApiEndpoint"
import type { HttpMethod } from "@effect/platform/HttpMethod"
import * as OpenApi from "@effect/platform/OpenApi"
import { conditionalRead, conditionalWrite } from "./ApiDocument.js"
import { PreconditionFailed, TooManyWatchers } from "./Domain/Errors.js"
import { WaitParams } from "./Watch/Params.js"

/**
 * The kinds of endpoint the API has more than one of, each declared once: what it accepts,
 * what it may answer and what the API document says of it. Used with `endpoint.pipe(…)`.
 */

/** A read with an `ETag`: `If-None-Match` answers 304, and `?wait=` holds it until the resource changes. */
export const blockingRead = <Name extends string, Method extends HttpMethod, Path, Payload, Headers, Success, E, R, RE>(
  endpoint: HttpApiEndpoint<Name, Method, Path, never, Payload, Headers, Success, E, R, RE>
) =>
  endpoint
    .setUrlParams(WaitParams)
    .addError(TooManyWatchers)
    .annotate(OpenApi.Transform, conditionalRead)

/** A write that honours `If-Match` (412 when it names another version). */
export const conditional = <Name extends string, Method extends HttpMethod, Path, Query, Payload, Headers, Success, E, R, RE>(
  endpoint: HttpApiEndpoint<Name, Method, Path, Query, Payload, Headers, Success, E, R, RE>
) =>
  endpoint
    .addError(PreconditionFailed)
    .annotate(OpenApi.Transform, conditionalWrite)
