import type { HttpApiEndpoint } from "@effect/platform/HttpApiEndpoint"
import type { HttpApiGroup } from "@effect/platform/HttpApiGroup"
import type { HttpMethod } from "@effect/platform/HttpMethod"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Schema from "effect/Schema"
import { conditionalRead, conditionalWrite } from "./ApiDocument.js"
import { DatabaseUnavailable, PreconditionFailed, ServiceBusy, TooManyWatchers, UnstorableText } from "../Domain/Errors.js"
import { WaitParams } from "./Params.js"

type Transform = NonNullable<Parameters<typeof OpenApi.annotations>[0]["transform"]>

/**
 * The kinds of endpoint the API has more than one of, each declared once: what it accepts,
 * what it may answer and what the API document says of it. Used with `endpoint.pipe(…)`.
 */

/** A read with an `ETag`: `If-None-Match` answers 304, and `?wait=` holds it until the resource changes. */
export const waitableRead = <Name extends string, Method extends HttpMethod, Path, Payload, Headers, Success, E, R, RE>(
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

/** A delete that honours `If-Match`: 204 with no body. */
export const deletion = <Name extends string, Method extends HttpMethod, Path, Query, Payload, Headers, Success, E, R, RE>(
  endpoint: HttpApiEndpoint<Name, Method, Path, Query, Payload, Headers, Success, E, R, RE>
) => conditional(endpoint.addSuccess(Schema.Void, { status: 204 }))

/** What the API document says of an endpoint: a summary, a description, and `transform` for what else its operation needs. */
export const described = (summary: string, description?: string, transform?: Transform) =>
<Name extends string, Method extends HttpMethod, Path, Query, Payload, Headers, Success, E, R, RE>(
  endpoint: HttpApiEndpoint<Name, Method, Path, Query, Payload, Headers, Success, E, R, RE>
) => endpoint.annotateContext(OpenApi.annotations({ summary, description, transform }))

/**
 * Endpoints on one stored resource, each named in the URL by `path`: the path's schema, and
 * `notFound` (404) when there is no such resource. Each resource declares its own once.
 */
export const onResource = <Path extends Schema.Schema.Any, NotFound extends Schema.Schema.Any>(
  path: Path & HttpApiEndpoint.ValidatePath<Path>,
  notFound: NotFound
) =>
<Name extends string, Method extends HttpMethod, Query, Payload, Headers, Success, E, R, RE>(
  endpoint: HttpApiEndpoint<Name, Method, never, Query, Payload, Headers, Success, E, R, RE>
) => endpoint.setPath(path).addError(notFound)

/** A group's title and description in the API document. */
export const titled = (title: string, description: string) =>
<Id extends string, Endpoints extends HttpApiEndpoint.Any, Error, R>(group: HttpApiGroup<Id, Endpoints, Error, R>) =>
  group.annotate(OpenApi.Title, title).annotate(OpenApi.Description, description)

/**
 * A group of endpoints over stored data: any of them may answer 400 `UnstorableText`, and 503
 * `DatabaseUnavailable` (PostgreSQL does not answer) or `ServiceBusy` (it does, but too many
 * requests wait for it).
 */
export const storedGroup = (title: string, description: string) =>
<Id extends string, Endpoints extends HttpApiEndpoint.Any, Error, R>(group: HttpApiGroup<Id, Endpoints, Error, R>) =>
  titled(title, description)(group.addError(UnstorableText).addError(DatabaseUnavailable).addError(ServiceBusy))
