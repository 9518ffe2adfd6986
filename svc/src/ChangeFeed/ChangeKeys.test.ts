import { describe, expect, it } from "@effect/vitest"
import type { ApplicationId, ConfigurationId } from "../Domain/Ids.js"
import {
  allKey,
  applicationKey,
  applicationPrefix,
  changesChannel,
  configurationKey,
  kindOf,
  parseChange,
  revisionKey,
  revisionsKey,
  revisionsKeyOf,
  schemaKey
} from "./ChangeKeys.js"

const app = "01HZX3Q8V6K2M9P4R7T1W5Y8ZB" as ApplicationId
const configuration = "01HZX3Q8V6K2M9P4R7T1W5Y8ZC" as ConfigurationId

describe("ChangeKeys", () => {
  it("writes the payloads of migrations 0003-0005 on their channel", () => {
    expect(changesChannel).toBe("config_service_changes")
    expect(allKey).toBe("*")
    expect(applicationKey(app)).toBe("a:01HZX3Q8V6K2M9P4R7T1W5Y8ZB")
    expect(configurationKey(configuration)).toBe("c:01HZX3Q8V6K2M9P4R7T1W5Y8ZC")
    expect(schemaKey(app)).toBe("s:01HZX3Q8V6K2M9P4R7T1W5Y8ZB")
    expect(revisionKey(app, 7)).toBe("r:01HZX3Q8V6K2M9P4R7T1W5Y8ZB:7")
    expect(revisionsKey(app)).toBe("r:01HZX3Q8V6K2M9P4R7T1W5Y8ZB")
    expect(applicationKey(app).startsWith(applicationPrefix)).toBe(true)
  })

  it("reads back what each builder writes", () => {
    expect(parseChange(allKey)).toEqual({ kind: "all" })
    expect(parseChange(applicationKey(app))).toEqual({ kind: "application", id: app })
    expect(parseChange(configurationKey(configuration))).toEqual({ kind: "configuration", id: configuration })
    expect(parseChange(schemaKey(app))).toEqual({ kind: "schema", id: app })
    expect(parseChange(revisionKey(app, 7))).toEqual({ kind: "revision", applicationId: app, revision: 7 })
    expect(parseChange(revisionKey(app, 9_007_199_254_740_991))).toEqual(
      { kind: "revision", applicationId: app, revision: 9_007_199_254_740_991 }
    )
    for (const payload of [allKey, applicationKey(app), configurationKey(configuration), schemaKey(app), revisionKey(app, 7)]) {
      expect(kindOf(payload)).toBe(parseChange(payload)!.kind)
    }
  })

  it("a revision's payload wakes its application's revisions key", () => {
    expect(revisionsKeyOf("r:01HZX3Q8V6K2M9P4R7T1W5Y8ZB:7")).toBe(revisionsKey(app))
  })

  it("knows no other payload", () => {
    for (const payload of ["", "**", "x:1", "tick", "a", "A:01HZX3Q8V6K2M9P4R7T1W5Y8ZB", "r:01HZX3Q8V6K2M9P4R7T1W5Y8ZB"]) {
      expect(parseChange(payload)).toBeUndefined()
    }
    expect(kindOf("tick")).toBeUndefined()
    expect(kindOf("list::10")).toBeUndefined()
  })
})
