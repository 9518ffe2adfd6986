import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Effect } from "effect"
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import { Api } from "../src/Http/Api.js"

export interface RawAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  readonly json: any
}

/** Status, headers and body of a request sent as it is: `body` a string is sent verbatim, anything else as JSON. */
export const raw = (
  method: "GET" | "POST" | "PUT" | "DELETE",
  url: string,
  options: { readonly headers?: Record<string, string>; readonly body?: unknown } = {}
) =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    let request = HttpClientRequest.setHeaders(HttpClientRequest.make(method)(url), options.headers ?? {})
    if (typeof options.body === "string") request = HttpClientRequest.bodyText(request, options.body, "application/json")
    else if (options.body !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, options.body)
    const response = yield* http.execute(request)
    const text = yield* response.text
    let json: unknown
    try {
      json = text === "" ? undefined : JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: response.status, headers: response.headers, text, json } as RawAnswer
  })

export const schemaUrl = (id: string) => `/api/v1/applications/${id}/schema`

/** The typed client, sending `token` (an API key) when given. */
export const clientWith = (token?: string) =>
  HttpApiClient.make(Api, {
    transformClient: token === undefined ? undefined : HttpClient.mapRequest(HttpClientRequest.bearerToken(token))
  })

/** A new application, and the typed client that made it. */
export const newApplication = (token?: string) => Effect.gen(function*() {
  const client = yield* clientWith(token)
  const app = yield* client.applications.create({ payload: { name: `app-${Math.random().toString(36).slice(2)}` } })
  return { client, app }
})

/** A schema of `keys` required integer properties `k0`, `k1` … each 0 to 1000. */
export const keysSchema = (keys: number) => ({
  type: "object",
  properties: Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, { type: "integer", minimum: 0, maximum: 1000 }])),
  required: Array.from({ length: keys }, (_, i) => `k${i}`)
})

/** A config that conforms to `keysSchema(keys)`. */
export const keysConfig = (keys: number, value = 1) =>
  Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, value]))
