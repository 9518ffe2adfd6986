import { HttpApiSchema } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import type { Schema } from "effect"
import * as Errors from "./Errors.js"
import type { ApplicationId, ConfigurationId } from "./Ids.js"

const app = "01ARZ3NDEKTSV4RRFFQ69G5FAV" as ApplicationId
const cfg = "01ARZ3NDEKTSV4RRFFQ69G5FAW" as ConfigurationId

const status = (error: Schema.Schema.Any) => HttpApiSchema.getStatusError(error)

describe("Errors", () => {
  it("each domain error carries its HTTP status", () => {
    expect(status(Errors.ApplicationNotFound)).toBe(404)
    expect(status(Errors.ConfigurationNotFound)).toBe(404)
    expect(status(Errors.ApplicationNameTaken)).toBe(409)
    expect(status(Errors.ConfigurationNameTaken)).toBe(409)
    expect(status(Errors.ApplicationHasConfigurations)).toBe(409)
    expect(status(Errors.UnknownApplication)).toBe(400)
    expect(status(Errors.ApplicationIdImmutable)).toBe(400)
    expect(status(Errors.UnstorableText)).toBe(400)
    expect(status(Errors.DatabaseUnavailable)).toBe(503)
    expect(status(Errors.ServiceBusy)).toBe(503)
    expect(status(Errors.VersionNotFound)).toBe(404)
    expect(status(Errors.VersionPruned)).toBe(410)
    expect(status(Errors.ChangesPruned)).toBe(410)
  })

  it("each has a tag and a human-readable message naming what it is about", () => {
    const errors = [
      Errors.ApplicationNotFound.of(app),
      Errors.ConfigurationNotFound.of(cfg),
      Errors.ApplicationNameTaken.of("billing"),
      Errors.ConfigurationNameTaken.of("prod"),
      Errors.ApplicationHasConfigurations.of(app),
      Errors.UnknownApplication.of(app),
      Errors.ApplicationIdImmutable.of(cfg)
    ]
    expect(errors.map((e) => e._tag)).toEqual([
      "ApplicationNotFound",
      "ConfigurationNotFound",
      "ApplicationNameTaken",
      "ConfigurationNameTaken",
      "ApplicationHasConfigurations",
      "UnknownApplication",
      "ApplicationIdImmutable"
    ])
    expect(errors[0]!.message).toContain(app)
    expect(errors[2]!.message).toContain("billing")
    expect(errors[4]!.message).toContain("cascade=true")
    expect(Errors.DatabaseUnavailable.instance.message).toMatch(/unavailable/)
    expect(Errors.ServiceBusy.instance.message).toMatch(/busy/)
    expect(Errors.ServiceBusy.instance.message).not.toMatch(/unavailable/)
    expect(Errors.UnstorableText.instance.message).toMatch(/NUL/)
  })

  it("history errors name the configuration and version, or where the change feed is whole again", () => {
    expect(Errors.VersionNotFound.of(cfg, 7)).toMatchObject({ _tag: "VersionNotFound", id: cfg, version: 7 })
    expect(Errors.VersionNotFound.of(cfg, 7).message).toBe(`configuration ${cfg} has no version 7`)
    expect(Errors.VersionPruned.of(cfg, 2).message).toContain("no longer kept")
    const pruned = Errors.ChangesPruned.of(app, 12)
    expect(pruned).toMatchObject({ _tag: "ChangesPruned", id: app, earliest_revision: 12 })
    expect(pruned.message).toContain("after 11")
  })
})
