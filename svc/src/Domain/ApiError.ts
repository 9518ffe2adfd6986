import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as Schema from "effect/Schema"

type Fields<Extra extends Schema.Struct.Fields> = { readonly message: typeof Schema.String } & Extra

/**
 * The base of every error the API answers: its `_tag`, a `message` for people, the fields a client
 * can act on, and the HTTP status it is sent with. Use as `class X extends ApiError<X>()("X", 404, { … })`.
 */
export const ApiError = <Self>() =>
<Tag extends string, Extra extends Schema.Struct.Fields = {}>(
  tag: Tag,
  status: number,
  extra: Extra = {} as Extra
): Schema.TaggedErrorClass<Self, Tag, { readonly _tag: Schema.tag<Tag> } & Fields<Extra>> =>
  Schema.TaggedError<Self>()(tag, { message: Schema.String, ...extra }, HttpApiSchema.annotations({ status })) as never
