import { Effect } from "effect"
import type { AddressInfo } from "node:net"
import { NodeServer } from "../src/Http/Edge/NodeServer.js"
import { response, type Served } from "./Requests.js"

/** The port the service's own test server listens on. */
export const servicePort = Effect.map(NodeServer, (server) => (server.address() as AddressInfo).port)

type Json = any

/** One request to the service on `port` (long polls included); anything but a response read to its end fails the test. */
export const call = (port: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  response(port, { method, path, body, headers, timeoutMs: 90_000 })

const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`

/** Writes through the API on `port`, each checked for its status. */
export const writer = (port: number) => {
  const expectStatus = (status: number) => (reply: Served) => {
    if (reply.status !== status) throw new Error(`expected ${status}, got ${reply.status}: ${reply.text.slice(0, 300)}`)
    return reply.json
  }
  return {
    app: (name = unique("app")) =>
      Effect.map(call(port, "POST", "/api/v1/applications", { name }), expectStatus(201)),
    create: (applicationId: string, name: string, config: Json = {}) =>
      Effect.map(call(port, "POST", "/api/v1/configurations", { application_id: applicationId, name, config }), expectStatus(201)),
    update: (id: string, name: string, config: Json) =>
      Effect.map(call(port, "PUT", `/api/v1/configurations/${id}`, { name, config }), expectStatus(200)),
    remove: (id: string) => Effect.map(call(port, "DELETE", `/api/v1/configurations/${id}`), expectStatus(204)),
    /** The application's changes as `/changes` would list them, straight from the history. */
    get: (path: string) => Effect.map(call(port, "GET", path), expectStatus(200))
  }
}

/** The service's port, a writer to it and a fresh application: how most watch tests begin. */
export const withApp = Effect.gen(function*() {
  const port = yield* servicePort
  const write = writer(port)
  const app = yield* write.app()
  return { port, write, app }
})
