import * as HttpApi from "@effect/platform/HttpApi"
import * as Context from "effect/Context"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { AnsweredFromCache, type CachedAnswer } from "./Annotation.js"
import { pathMatcher } from "./Matcher.js"
import type { Twin, Twins } from "./Twins.js"

/** An endpoint the fast path may answer, as the API declares it. */
export interface Answerable {
  /** `group.endpoint (METHOD path)`, for messages. */
  readonly name: string
  readonly method: string
  /** The decoded path of a request the endpoint takes, else undefined (see `pathMatcher`). */
  readonly match: (path: string) => unknown
  readonly how: CachedAnswer
  /** The twins of every middleware the API runs around the endpoint. */
  readonly twins: ReadonlyArray<Twin>
  /** The endpoint's own payload decoding, for an endpoint with a body. */
  readonly decodePayload: ((json: unknown) => Either.Either<unknown, unknown>) | undefined
}

/** Why the fast path would not agree with the API. */
export class FastPathRefused extends Schema.TaggedError<FastPathRefused>()("FastPathRefused", {
  message: Schema.String
}) {}

/** An endpoint's schema as its handler decodes with it (its context is the handler's). */
const schemaOf = (schema: Option.Option<Schema.Schema.All>) =>
  Option.map(schema, ({ ast }) => Schema.make<unknown, unknown>(ast))

/**
 * The endpoints of `api` annotated with `AnsweredFromCache`, each with its route, its path and
 * payload schemas and the twins of its middlewares (the API's, its group's and its own). Refused
 * while any of those middlewares has no twin, or the endpoint reads a body and none of the twins
 * says how: the fast path would skip what the API does.
 */
export const answerableOf = (
  api: HttpApi.HttpApi.Any,
  twins: Twins
): Either.Either<ReadonlyArray<Answerable>, FastPathRefused> => {
  const self = api as HttpApi.HttpApi.AnyWithProps
  const answerable: Array<Answerable> = []
  const refusals: Array<string> = []
  HttpApi.reflect(self, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, group, middleware }) => {
      const how = Context.getOption(endpoint.annotations, AnsweredFromCache)
      if (Option.isNone(how)) return
      const name = `${group.identifier}.${endpoint.name} (${endpoint.method} ${endpoint.path})`
      const endpointTwins = [...self.middlewares, ...middleware].flatMap((tag) => {
        const twin = twins.get(tag)
        if (twin === undefined) refusals.push(`the middleware ${tag.key} on ${name} has no twin in the fast path`)
        return twin === undefined ? [] : [twin]
      })
      const payload = Option.getOrUndefined(schemaOf(endpoint.payloadSchema))
      if (payload !== undefined && !endpointTwins.some((twin) => twin.readsBody !== undefined)) {
        refusals.push(`${name} reads a body, and no twin of its middlewares says how the API reads one`)
      }
      answerable.push({
        name,
        method: endpoint.method,
        match: pathMatcher(endpoint.path, Option.getOrUndefined(schemaOf(endpoint.pathSchema))),
        how: how.value,
        twins: endpointTwins,
        decodePayload: payload && Schema.decodeUnknownEither(payload)
      })
    }
  })
  return refusals.length > 0
    ? Either.left(new FastPathRefused({ message: `the fast path cannot agree with the API: ${refusals.join("; ")}` }))
    : Either.right(answerable)
}
