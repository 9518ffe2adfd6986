import * as HttpApi from "@effect/platform/HttpApi"
import * as OpenApi from "@effect/platform/OpenApi"
import { nextLink } from "./Edge/Answers.js"
import { bearerChallenge, retryAfter } from "./Edge/ResponseHeaders.js"

/**
 * What the OpenAPI document says beyond the schemas: the headers operations read and write
 * and the statuses they really answer. Each operation declares its own with `OpenApi.Transform`
 * (`conditionalRead`, `conditionalWrite`, `createdAt`, `pagedAs` …); `documented` adds what holds for
 * every operation and what depends on the settings (bearer security only with `API_KEYS`).
 */

type Json = Record<string, any>
type Operation = Json

/** A response header; `required` when every response of its status carries it. */
const header = (description: string, example: string, required = true) => ({
  description,
  required,
  schema: { type: "string" },
  example
})

const etag = header("The resource's strong entity tag, for If-None-Match and If-Match", `"3"`)

const withHeaders = (response: Json | undefined, headers: Json) =>
  response === undefined || Object.keys(headers).length === 0
    ? response
    : { ...response, headers: { ...response.headers, ...headers } }

const requestHeader = (name: string, description: string) => ({
  name,
  in: "header",
  required: false,
  description,
  // A header's value is visible ASCII and spaces (RFC 9110); any such value is accepted, unknown tags match nothing.
  schema: { type: "string", pattern: "^[\\x20-\\x7e]*$" },
  example: `"3"`
})

const onSuccess = (op: Operation, status: string, headers: Json): Operation => ({
  ...op,
  responses: { ...op.responses, [status]: withHeaders(op.responses[status], headers) }
})

/** A read answered 304, with no body, while `If-None-Match` names the current `ETag`. */
export const conditionalRead = (op: Operation): Operation => {
  const read = onSuccess(op, "200", { ETag: etag })
  return {
    ...read,
    parameters: [
      ...op.parameters,
      requestHeader("If-None-Match", "An ETag from an earlier response: 304 with no body while it is still current")
    ],
    responses: {
      ...read.responses,
      "304": { description: "Not modified: the ETag sent in If-None-Match is still current", headers: { ETag: etag } }
    }
  }
}

/** A write that happens only while `If-Match` (when sent) names the current `ETag`, else 412. */
export const conditionalWrite = (op: Operation): Operation => ({
  ...(op.responses["200"] ? onSuccess(op, "200", { ETag: etag }) : op),
  parameters: [
    ...op.parameters,
    requestHeader("If-Match", "The ETag the write expects: 412, and nothing changes, unless it is current")
  ]
})

/** A 201 that says where the resource it created is, as in `example`. */
export const createdAt = (example: string) => (op: Operation): Operation =>
  onSuccess(op, "201", { Location: header("The new resource's URL", example), ETag: etag })

/** A list whose pages link to the next one while more remain, as in `example`. */
export const pagedAs = (example: string) => (op: Operation): Operation =>
  onSuccess(op, "200", { Link: header("The next page, while more remain", nextLink(example), false) })

const everyResponse: Record<string, Json> = {
  "401": { "WWW-Authenticate": header("How to authenticate", bearerChallenge) },
  "405": { Allow: header("The methods the path answers", "GET, HEAD, POST") },
  "503": { "Retry-After": header("Seconds to wait before retrying", retryAfter) }
}

/**
 * Errors an operation cannot answer although the API declares them for all: a defect; an
 * unknown route (but for an id the router cannot take, such as one over-long); without a
 * body, a body's errors; without security, the key's.
 */
const neverAnswered = (op: Operation, method: string, secured: boolean) => {
  const never = new Set(["InternalError"])
  if (!op.parameters?.some((parameter: Json) => parameter.in === "path")) never.add("RouteNotFound")
  if (!op.requestBody) ["MalformedJson", "UnstorableText", "PayloadTooLarge", "UnsupportedMediaType"].forEach((e) => never.add(e))
  if (!secured || !op.security?.length) ["Unauthorized", "Forbidden"].forEach((e) => never.add(e))
  // A read key may read.
  if (method === "get") never.add("Forbidden")
  return never
}

const refName = (schema: Json | undefined) => (schema?.$ref as string | undefined)?.split("/").pop()

/** The response without the error schemas in `never`; `undefined` when none is left. */
const without = (response: Json, never: ReadonlySet<string>): Json | undefined => {
  const media = response.content?.["application/json"]
  if (media === undefined) return response
  const members: Array<Json> = media.schema?.anyOf ?? [media.schema]
  const kept = members.filter((member) => !never.has(refName(member) ?? ""))
  if (kept.length === members.length) return response
  if (kept.length === 0) return undefined
  const schema = kept.length === 1 ? kept[0] : { anyOf: kept }
  return { ...response, description: refName(kept[0]) ?? response.description, content: { "application/json": { schema } } }
}

const finish = (op: Operation, method: string, secured: boolean): Operation => {
  const never = neverAnswered(op, method, secured)
  const responses: Json = {}
  for (const [status, response] of Object.entries(op.responses as Json)) {
    const kept = without(response, never)
    if (kept !== undefined) responses[status] = withHeaders(kept, everyResponse[status] ?? {})
  }
  const { security, ...rest } = op
  return { ...rest, ...(secured && security?.length ? { security } : {}), responses }
}

/** The whole document as the service answers under its settings. */
export const documented = (options: { readonly secured: boolean }) => (spec: Json): Json => {
  const paths: Json = {}
  for (const [path, operations] of Object.entries(spec.paths as Json)) {
    paths[path] = Object.fromEntries(
      Object.entries(operations as Json).map(([method, op]) => [method, finish(op, method, options.secured)])
    )
  }
  const { securitySchemes, schemas, ...components } = spec.components ?? {}
  return {
    ...spec,
    servers: [{ url: "/", description: "This service" }],
    paths,
    components: {
      ...components,
      schemas: used(schemas ?? {}, paths),
      ...(options.secured ? { securitySchemes } : {})
    }
  }
}

/** The component schemas `paths` refer to, directly or through each other. */
const used = (schemas: Json, paths: Json): Json => {
  const names = new Set<string>()
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit)
    if (typeof value !== "object" || value === null) return
    const name = refName(value as Json)
    if (name !== undefined && !names.has(name)) {
      names.add(name)
      visit(schemas[name])
    }
    Object.values(value).forEach(visit)
  }
  visit(paths)
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => names.has(name)))
}

/** `api` annotated to produce the document above; serve it with the docs page and `/api/v1/openapi.json`. */
export const documentedApi = <Api extends HttpApi.HttpApi.Any>(api: Api, options: { readonly secured: boolean }): HttpApi.HttpApi.Any =>
  (api as unknown as HttpApi.HttpApi.AnyWithProps).annotate(OpenApi.Transform, documented(options) as any)
