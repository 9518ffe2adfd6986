import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { createHash, timingSafeEqual } from "node:crypto"
import { Forbidden, Unauthorized } from "../Domain/Errors.js"
import { setResponseHeader } from "./ResponseHeaders.js"

export type Scope = "read" | "write"

export interface ApiKey {
  readonly token: Redacted.Redacted<string>
  readonly scope: Scope
}

const digest = (token: string) => createHash("sha256").update(token, "utf8").digest()

/** Compares against every key, in constant time per key, so timing tells nothing about which key or how much matched. */
const scopeOf = (keys: ReadonlyArray<{ readonly digest: Buffer; readonly scope: Scope }>, token: string) => {
  const presented = digest(token)
  let scope: Scope | undefined
  for (const key of keys) {
    if (timingSafeEqual(key.digest, presented) && scope !== "write") scope = key.scope
  }
  return scope
}

const readMethods = new Set(["GET", "HEAD", "OPTIONS"])

/**
 * The path a lenient router would match for a request target: an absolute-form target
 * reduced to its path, cut at `?`, `#` or `;`, percent-decoded, `//` collapsed, lower case.
 */
export const routedPath = (target: string) => {
  let path = target
  if (!path.startsWith("/")) {
    try {
      path = new URL(path).pathname
    } catch {
      return path
    }
  }
  path = path.split(/[?#;]/)[0]!
  try {
    path = decodeURIComponent(path)
  } catch {
    // left encoded: it then matches no open path
  }
  return path.replace(/\/+/g, "/").replace(/(.)\/$/, "$1").toLowerCase()
}

/** Requests the router would send to `/api/v1` need a key, but for the OpenAPI document; health and docs stay open. */
export const isProtected = (target: string) => {
  const path = routedPath(target)
  return (path === "/api/v1" || path.startsWith("/api/v1/")) && path !== "/api/v1/openapi.json"
}

/** The scope an `Authorization` header's bearer key grants, or `undefined` for a missing or unknown key. */
export const makeKeyring = (apiKeys: ReadonlyArray<ApiKey>) => {
  const keys = apiKeys.map((key) => ({ digest: digest(Redacted.value(key.token)), scope: key.scope }))
  return (authorization: string | undefined): Scope | undefined => {
    const match = authorization === undefined ? null : /^Bearer +(\S+)\s*$/i.exec(authorization)
    return match ? scopeOf(keys, match[1]!) : undefined
  }
}

/**
 * Bearer-token authorization for `API_KEYS`: a missing or unknown key is 401 with
 * `WWW-Authenticate`, a read key on a write is 403. Keys are never logged or echoed.
 */
export const makeAuthorizer = (apiKeys: ReadonlyArray<ApiKey>) => {
  const keyring = makeKeyring(apiKeys)
  return (method: string, authorization: string | undefined): Effect.Effect<void, Unauthorized | Forbidden> => {
    const scope = keyring(authorization)
    if (scope === undefined) {
      return Effect.zipRight(
        setResponseHeader("www-authenticate", `Bearer realm="config-service"`),
        Effect.fail(Unauthorized.instance)
      )
    }
    return scope === "read" && !readMethods.has(method) ? Effect.fail(Forbidden.instance) : Effect.void
  }
}
