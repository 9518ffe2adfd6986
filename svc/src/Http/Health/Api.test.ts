import { HttpApiSchema } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { Health, HealthApi, NotReady } from "./Api.js"

describe("Health/Api", () => {
  it("live and ready; not ready is a 503 carrying its checks", () => {
    expect(Object.keys(HealthApi.endpoints).sort()).toEqual(["live", "ready"])
    expect(HttpApiSchema.getStatusError(NotReady)).toBe(503)
    const encoded = Schema.encodeSync(NotReady)(new NotReady({ message: "no", checks: { database: "unreachable" } }))
    expect(encoded).toEqual({ _tag: "NotReady", message: "no", checks: { database: "unreachable" } })
    expect(Schema.encodeSync(Health)(new Health({ status: "ok" }))).toEqual({ status: "ok" })
  })
})
