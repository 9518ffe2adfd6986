import * as HttpApiClient from "@effect/platform/HttpApiClient"
import { Api } from "./Api.js"

/**
 * A typed client for the Config Service, derived from the same `HttpApi` the server runs.
 * Needs an `HttpClient` (e.g. `FetchHttpClient.layer`, or `NodeHttpServer.layerTest` in tests).
 */
export const makeClient = (options: { readonly baseUrl?: string } = {}) =>
  HttpApiClient.make(Api, options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl })
