import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import http from "node:http"
import { Shutdown } from "../../Domain/Shutdown.js"

/**
 * A request the server answers itself, before the Effect runtime sees it; true when it took the
 * request (answered it, or will: it may still hand it on with `passOn`).
 */
export type AnswerFirst = (request: http.IncomingMessage, response: http.ServerResponse) => boolean

/**
 * `http.Server` with an optional `answerFirst` in front of its `request` listeners while it is
 * listening (so never once shutdown has begun), tracking its unfinished responses for `drain`.
 * It emits `draining` when `drain` begins: responses that would never finish (watch streams)
 * end then.
 */
export class ServiceHttpServer extends http.Server {
  answerFirst: AnswerFirst | undefined
  readonly unfinished = new Set<http.ServerResponse>()

  override emit(event: string | symbol, ...args: Array<any>): boolean {
    if (event !== "request") return super.emit(event as string, ...args)
    const response = args[1] as http.ServerResponse
    this.unfinished.add(response)
    response.once("close", () => this.unfinished.delete(response))
    if (this.answerFirst !== undefined && this.listening) {
      try {
        if (this.answerFirst(args[0], response)) return true
      } catch {
        // Unanswered, the request goes on to the API; answered, it stays answered.
        if (response.headersSent) return true
      }
    }
    return super.emit(event, ...args)
  }

  /** Hands a request `answerFirst` took on to the API after all. */
  passOn(request: http.IncomingMessage, response: http.ServerResponse) {
    super.emit("request", request, response)
  }
}

/** `Shutdown` as `server` tells it: its `draining` event. */
const shutdownOf = (server: ServiceHttpServer): Shutdown["Type"] => ({
  onDrain: (f) => {
    server.on("draining", f)
    return () => server.off("draining", f)
  }
})

/** The Node.js HTTP server the service listens with; its `Live` layer also provides `Shutdown`. */
export class NodeServer extends Context.Tag("Http/Edge/NodeServer")<NodeServer, ServiceHttpServer>() {
  static readonly Live = Layer.effectContext(Effect.sync(() => {
    const server = new ServiceHttpServer()
    return Context.make(NodeServer, server).pipe(Context.add(Shutdown, shutdownOf(server)))
  }))
}

/**
 * Stops accepting connections, ends the streams that listen for `draining`, and lets the
 * requests already received finish: their responses (and those of requests that still arrive
 * on open connections) say `Connection: close`, idle connections are closed now, busy ones as
 * their response ends. Connections still busy after `gracePeriod` are cut.
 */
export const drain = (server: ServiceHttpServer, gracePeriod: Duration.Duration) =>
  Effect.async<void>((resume) => {
    server.emit("draining")
    const closeWhenDone = (_request: http.IncomingMessage, response: http.ServerResponse) => {
      response.shouldKeepAlive = false
    }
    for (const response of server.unfinished) response.shouldKeepAlive = false
    server.prependListener("request", closeWhenDone)
    const deadline = setTimeout(() => server.closeAllConnections(), Duration.toMillis(gracePeriod))
    server.close(() => {
      clearTimeout(deadline)
      server.off("request", closeWhenDone)
      resume(Effect.void)
    })
    server.closeIdleConnections()
  })
