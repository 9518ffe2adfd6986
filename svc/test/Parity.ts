import { Effect } from "effect"
import { ChangeFeed } from "../src/ChangeFeed/ChangeFeed.js"
import type { AnswerFirst } from "../src/Http/Edge/NodeServer.js"
import { NodeServer } from "../src/Http/Edge/NodeServer.js"
import type { HttpRequest, HttpResponse } from "./Net.js"
import { response, serverPort } from "./Requests.js"

/** What two answers to the same request must share: everything but the connection's own headers. */
export const comparable = (answer: HttpResponse) => ({
  status: answer.status,
  headers: Object.fromEntries(
    Object.entries(answer.headers).filter(([name]) => !["date", "connection", "keep-alive"].includes(name)).sort()
  ),
  body: answer.text
})

/**
 * For comparing the service's shortcuts (`NodeServer.answerFirst`) with its API: once the change
 * feed is trusted (nothing is cached before), `twice(request)` sends the request with the
 * shortcuts off, then on, and says whether they took it. `restore` puts the shortcuts back.
 */
export const shortcutSwitch = Effect.gen(function*() {
  const server = yield* NodeServer
  const port = yield* serverPort
  const feed = yield* ChangeFeed
  for (let i = 0; i < 250 && !feed.trusted(); i++) yield* Effect.promise(() => new Promise((r) => setTimeout(r, 20)))
  const answerFirst: AnswerFirst = server.answerFirst!
  const twice = (request: Omit<HttpRequest, "port">) =>
    Effect.gen(function*() {
      server.answerFirst = undefined
      const throughApi = yield* response(port, request)
      let taken = false
      server.answerFirst = (req, res) => (taken = answerFirst(req, res))
      const withShortcut = yield* response(port, request)
      server.answerFirst = answerFirst
      return { throughApi, withShortcut, taken }
    })
  return { server, port, twice }
})
