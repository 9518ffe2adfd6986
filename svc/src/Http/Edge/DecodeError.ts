import { HttpApiDecodeError } from "@effect/platform/HttpApiError"
import { quote } from "../../Domain/Messages.js"

/** Issues a 400 carries at most (a body of 20,000 unknown fields has 20,000). */
export const maxIssues = 100
/** Lines of the message at most; the issues list the rest. */
export const maxLines = 10

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** Where an issue is, as a user writes it: `name`, `config.list[1]`, `config["a b"]`; the body itself is `body`. */
export const pathText = (path: ReadonlyArray<PropertyKey>): string =>
  path.length === 0 ? "body" : path.map((key, index) => {
    if (typeof key === "number") return `[${key}]`
    const name = String(key)
    if (identifier.test(name)) return index === 0 ? name : `.${name}`
    return index === 0 ? quote(name) : `[${quote(name)}]`
  }).join("")

/** Effect's wording of an unknown field ("is unexpected, expected: …") and of a missing one, in the user's. */
const inUserWords = (issue: HttpApiDecodeError["issues"][number]) =>
  issue._tag === "Unexpected" && issue.message.startsWith("is unexpected")
    ? "unknown field"
    : issue._tag === "Missing"
    ? "is required"
    : issue.message

/**
 * The error the API answers for a request that fails its schemas, with a `message` of one
 * line per issue (`name: must not be blank; comment: unknown field`) instead of Effect's tree.
 */
export const readableDecodeError = (error: HttpApiDecodeError): HttpApiDecodeError => {
  const issues = error.issues.slice(0, maxIssues).map((issue) => ({ ...issue, message: inUserWords(issue) }))
  const lines = issues.slice(0, maxLines).map((issue) => `${pathText(issue.path)}: ${issue.message}`)
  const more = error.issues.length - lines.length
  return new HttpApiDecodeError({ issues, message: [...lines, ...(more > 0 ? [`and ${more} more`] : [])].join("; ") })
}
