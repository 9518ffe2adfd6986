import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as Schema from "effect/Schema"

const Pointer = Schema.String.annotations({
  description: "a JSON Pointer (RFC 6901): `/`-separated keys, `~` written `~0` and `/` written `~1`",
  examples: ["/feature/dark_mode"]
})

const AnyJson = Schema.Unknown.annotations({ jsonSchema: { description: "any JSON value" } })

const valued = <Op extends string>(op: Op) =>
  Schema.Struct({ op: Schema.Literal(op), path: Pointer, value: AnyJson })

/** One operation of a JSON Patch; a diff of two configurations uses only these three. */
export const PatchOperation = Schema.Union(
  valued("add"),
  Schema.Struct({ op: Schema.Literal("remove"), path: Pointer }),
  valued("replace")
).annotations({ identifier: "PatchOperation" })
export type PatchOperation = typeof PatchOperation.Type

export const jsonPatchMediaType = "application/json-patch+json"

/** A JSON Patch (RFC 6902), sent as `application/json-patch+json`. */
export const JsonPatch = Schema.Array(PatchOperation).pipe(
  HttpApiSchema.withEncoding({ kind: "Json", contentType: jsonPatchMediaType })
).annotations({
  identifier: "JsonPatch",
  description: "RFC 6902 operations that, applied in order, turn one config into the other",
  examples: [[{ op: "replace", path: "/retries", value: 5 }, { op: "remove", path: "/legacy" }]]
})
