import { describe, expect, it } from "@effect/vitest"
import { Redacted } from "effect"
import { type ApiKey, defaultKeyName, makeAccess, makeKeyring, type Role } from "./ApiKeys.js"

const key = (token: string, role: Role, name = defaultKeyName(token)): ApiKey => ({ name, token: Redacted.make(token), role })

describe("makeKeyring", () => {
  it("finds the key a bearer header carries, the strongest when a secret is listed twice", () => {
    const keyring = makeKeyring([key("k", "read", "one"), key("k", "write", "two"), key("other", "read")])
    expect(keyring("Bearer k")?.name).toBe("two")
    expect(keyring("bearer   other ")?.role).toBe("read")
    for (const header of [undefined, "", "Bearer", "k", "Basic k", "Bearer K", "Bearer k k"]) {
      expect(keyring(header), String(header)).toBeUndefined()
    }
  })
})

describe("makeAccess", () => {
  it("grants the key's name as the actor; without keys everyone is granted, as nobody", () => {
    const access = makeAccess([key("s3cret", "write", "deploy-bot"), key("other", "read")])
    expect(access("PUT", "Bearer s3cret")).toEqual({ _tag: "Granted", actor: "deploy-bot" })
    expect(access("GET", "Bearer other")).toEqual({ _tag: "Granted", actor: defaultKeyName("other") })
    expect(defaultKeyName("other")).toMatch(/^key-[0-9a-f]{8}$/)
    expect(defaultKeyName("other")).not.toContain("other")
    expect(access("PUT", "Bearer other")).toEqual({ _tag: "Forbidden" })
    expect(access("GET", "Bearer nope")).toEqual({ _tag: "Unauthorized" })
    expect(makeAccess([])("DELETE", undefined)).toEqual({ _tag: "Granted", actor: null })
  })
})

