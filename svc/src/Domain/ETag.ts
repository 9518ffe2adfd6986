import { createHash } from "node:crypto"

/**
 * Strong entity tags. A configuration's is its `version`; an application's representation
 * also lists its configuration ids, so its tag adds a digest of them: adding or removing a
 * configuration changes the application's tag though not its version.
 */
export const configurationETag = (version: number) => `"${version}"`

/**
 * The first 12 hex digits of the md5 of the ids joined by commas. The repositories compute
 * the same in SQL: `left(md5(array_to_string(ids, ',')), 12)`.
 */
export const configurationIdsDigest = (ids: ReadonlyArray<string>) =>
  createHash("md5").update(ids.join(",")).digest("hex").slice(0, 12)

export const applicationETag = (version: number, digest: string) => `"${version}-${digest}"`

/** The entity tags of an `If-Match` / `If-None-Match` header; `"*"` stands for any. */
export const parseEntityTags = (header: string): ReadonlyArray<string> =>
  header.trim() === "*" ? ["*"] : header.match(/(?:W\/)?"[^"]*"/g) ?? []

/** `If-Match`: strong comparison (a weak tag never matches). */
export const ifMatch = (header: string, etag: string) =>
  parseEntityTags(header).some((tag) => tag === "*" || tag === etag)

/** `If-None-Match`: weak comparison (`W/"1"` matches `"1"`). */
export const ifNoneMatch = (header: string, etag: string) =>
  parseEntityTags(header).some((tag) => tag === "*" || tag.replace(/^W\//, "") === etag)

/**
 * The versions a configuration `If-Match` accepts, or `"any"` for `*`. Tags compare as text,
 * so only the canonical form of a version (`"1"`, not `"01"`) matches; weak and malformed
 * tags accept nothing.
 */
export const acceptedConfigurationVersions = (header: string): ReadonlyArray<number> | "any" => {
  const tags = parseEntityTags(header)
  if (tags.includes("*")) return "any"
  return tags.flatMap((tag) => {
    const match = /^"(0|[1-9]\d{0,8})"$/.exec(tag)
    return match ? [Number(match[1])] : []
  })
}

/** The `{ version, digest }` pairs an application `If-Match` accepts, or `"any"` for `*`. */
export const acceptedApplicationTags = (
  header: string
): ReadonlyArray<{ readonly version: number; readonly digest: string }> | "any" => {
  const tags = parseEntityTags(header)
  if (tags.includes("*")) return "any"
  return tags.flatMap((tag) => {
    const match = /^"(0|[1-9]\d{0,8})-([0-9a-f]{12})"$/.exec(tag)
    return match ? [{ version: Number(match[1]), digest: match[2]! }] : []
  })
}
