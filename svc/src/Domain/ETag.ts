/**
 * Strong entity tags and the conditional headers that name them. Each resource's tag formula
 * lives with its JSON (`Applications/Resource.ts`, `Configurations/Resource.ts`), in SQL, so
 * that `If-Match` is checked by the statement that writes.
 */

/** The entity tags of an `If-Match` / `If-None-Match` header; `"*"` stands for any. */
export const parseEntityTags = (header: string): ReadonlyArray<string> =>
  header.trim() === "*" ? ["*"] : header.match(/(?:W\/)?"[^"]*"/g) ?? []

/** `If-None-Match`: weak comparison (`W/"1"` matches `"1"`). */
export const ifNoneMatch = (header: string, etag: string) =>
  parseEntityTags(header).some((tag) => tag === "*" || tag.replace(/^W\//, "") === etag)

/**
 * The `If-Match` precondition of a write: `"any"` (no header, or `*`), or the opaque tags (without
 * quotes) of which the resource's current one must be. `If-Match` compares strongly: weak tags
 * match nothing, and tags compare as text (`"01"` is not `"1"`).
 */
export type Precondition = "any" | ReadonlyArray<string>

export const preconditionOf = (ifMatch: string | undefined): Precondition => {
  if (ifMatch === undefined) return "any"
  const tags = parseEntityTags(ifMatch)
  return tags.includes("*") ? "any" : tags.filter((tag) => tag.startsWith("\"")).map((tag) => tag.slice(1, -1))
}
