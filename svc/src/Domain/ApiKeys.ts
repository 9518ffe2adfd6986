import * as Redacted from "effect/Redacted"
import { createHash, timingSafeEqual } from "node:crypto"

export type Role = "read" | "write"

/** An entry of `API_KEYS`: the secret, what it may do, and the name writes are recorded under. */
export interface ApiKey {
  readonly name: string
  readonly token: Redacted.Redacted<string>
  readonly role: Role
}

const digest = (token: string) => createHash("sha256").update(token, "utf8").digest()

/** The name of a key listed without one: `key-` and the first 8 hex digits of its secret's SHA-256, never the secret. */
export const defaultKeyName = (token: string) => `key-${digest(token).toString("hex").slice(0, 8)}`

/**
 * The key an `Authorization: Bearer <key>` header carries, or `undefined` for a missing,
 * malformed or unknown one. Compares against every key in constant time per key, so timing
 * tells nothing about which key or how much matched; a secret listed twice counts as its
 * strongest entry.
 */
export const makeKeyring = (apiKeys: ReadonlyArray<ApiKey>) => {
  const keys = apiKeys.map((key) => ({ key, digest: digest(Redacted.value(key.token)) }))
  return (authorization: string | undefined): ApiKey | undefined => {
    const match = authorization === undefined ? null : /^Bearer +(\S+)\s*$/i.exec(authorization)
    if (match === null) return undefined
    const presented = digest(match[1]!)
    let found: ApiKey | undefined
    for (const { digest, key } of keys) {
      if (timingSafeEqual(digest, presented) && found?.role !== "write") found = key
    }
    return found
  }
}

export type Access =
  | { readonly _tag: "Granted"; readonly actor: string | null }
  | { readonly _tag: "Unauthorized" }
  | { readonly _tag: "Forbidden" }

const open: Access = { _tag: "Granted", actor: null }
const unauthorized: Access = { _tag: "Unauthorized" }
const forbidden: Access = { _tag: "Forbidden" }
const readMethods = new Set(["GET", "HEAD", "OPTIONS"])

/**
 * What a request may do under `API_KEYS`, the one rule both the API and the cached-read
 * shortcut apply: no keys → open to all (actor nobody); a missing or unknown key → not
 * authorized; a read key may only GET, HEAD and OPTIONS; the actor is the key's name.
 */
export const makeAccess = (apiKeys: ReadonlyArray<ApiKey>) => {
  if (apiKeys.length === 0) return (_method: string, _authorization: string | undefined) => open
  const keyring = makeKeyring(apiKeys)
  return (method: string, authorization: string | undefined): Access => {
    const key = keyring(authorization)
    if (key === undefined) return unauthorized
    return key.role === "read" && !readMethods.has(method) ? forbidden : { _tag: "Granted", actor: key.name }
  }
}
