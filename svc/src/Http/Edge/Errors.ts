import { ApiError } from "../../Domain/ApiError.js"
import * as Schema from "effect/Schema"

/** What the HTTP edge answers before a request reaches an endpoint, or when none can answer it. */

export class MalformedJson extends ApiError<MalformedJson>()("MalformedJson", 400) {}

export class PayloadTooLarge extends ApiError<PayloadTooLarge>()("PayloadTooLarge", 413, { limit: Schema.Int }) {}

export class UnsupportedMediaType extends ApiError<UnsupportedMediaType>()("UnsupportedMediaType", 415) {}

export class RouteNotFound extends ApiError<RouteNotFound>()("RouteNotFound", 404) {}

export class MethodNotAllowed extends ApiError<MethodNotAllowed>()("MethodNotAllowed", 405, {
  allow: Schema.Array(Schema.String)
}) {}

export class InternalError extends ApiError<InternalError>()("InternalError", 500) {
  static readonly instance = new InternalError({ message: "internal error; it has been logged" })
}

export class Unauthorized extends ApiError<Unauthorized>()("Unauthorized", 401) {
  static readonly instance = new Unauthorized({ message: "send a valid API key as `Authorization: Bearer <key>`" })
}

export class Forbidden extends ApiError<Forbidden>()("Forbidden", 403) {
  static readonly instance = new Forbidden({ message: "this API key may only read" })
}
