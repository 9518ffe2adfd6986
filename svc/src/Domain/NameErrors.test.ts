import { HttpApiSchema } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { ApplicationNameNotFound, ConfigurationNameNotFound } from "./NameErrors.js"

describe("NameErrors", () => {
  it("are 404s that quote the names", () => {
    expect(HttpApiSchema.getStatusError(ApplicationNameNotFound)).toBe(404)
    expect(HttpApiSchema.getStatusError(ConfigurationNameNotFound)).toBe(404)
    expect(ApplicationNameNotFound.of("a b").message).toBe(`no application named "a b"`)
    expect(ConfigurationNameNotFound.of("app", "x/y")).toMatchObject({
      application: "app",
      name: "x/y",
      message: `application "app" has no configuration named "x/y"`
    })
  })
})
