/**
 * Strong entity tags. A configuration's is its `version`; an application's representation
 * also lists its configuration ids, so its tag adds a digest of them (computed in SQL by the
 * applications repository): adding or removing a configuration changes the application's
 * tag though not its version. If-Match is checked by the repositories' statements.
 */
export const configurationETag = (version: number) => `"${version}"`

export const applicationETag = (version: number, digest: string) => `"${version}-${digest}"`

/** The tag of a resource as a repository rendered it: an application's carries its digest, a configuration's does not. */
export const renderedETag = (rendered: { readonly version: number; readonly digest?: string | undefined }) =>
  rendered.digest === undefined ? configurationETag(rendered.version) : applicationETag(rendered.version, rendered.digest)

/** The entity tags of an `If-Match` / `If-None-Match` header; `"*"` stands for any. */
export const parseEntityTags = (header: string): ReadonlyArray<string> =>
  header.trim() === "*" ? ["*"] : header.match(/(?:W\/)?"[^"]*"/g) ?? []

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
