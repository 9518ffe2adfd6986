import { HttpApiSchema } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import type { Schema } from "effect"
import * as Errors from "./Errors.js"

const status = (error: Schema.Schema.Any) => HttpApiSchema.getStatusError(error)

describe("Edge errors", () => {
  it("each carries its HTTP status", () => {
    expect(status(Errors.RouteNotFound)).toBe(404)
    expect(status(Errors.MalformedJson)).toBe(400)
    expect(status(Errors.PayloadTooLarge)).toBe(413)
    expect(status(Errors.UnsupportedMediaType)).toBe(415)
    expect(status(Errors.InternalError)).toBe(500)
    expect(status(Errors.MethodNotAllowed)).toBe(405)
    expect(status(Errors.Unauthorized)).toBe(401)
    expect(status(Errors.Forbidden)).toBe(403)
  })
})
