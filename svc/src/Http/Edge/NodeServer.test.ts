import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect } from "effect"
import { Agent } from "node:http"
import { send } from "../../../test/Net.js"
import { onDrain } from "../../Domain/Shutdown.js"
import { drain, NodeServer, ServiceHttpServer } from "./NodeServer.js"

const listen = (server: ServiceHttpServer) =>
  Effect.async<number>((resume) => {
    server.listen(0, "127.0.0.1", () => resume(Effect.succeed((server.address() as { port: number }).port)))
  })

describe("ServiceHttpServer", () => {
  it.live("answerFirst answers before the listeners; one that throws before answering leaves the request to them", () =>
    Effect.gen(function*() {
      const server = new ServiceHttpServer()
      server.on("request", (_request, response) => response.end("listener"))
      server.answerFirst = (request, response) => {
        if (request.url === "/throws") throw new Error("boom")
        if (request.url !== "/first") return false
        response.end("first")
        return true
      }
      const port = yield* listen(server)
      const text = (path: string) =>
        Effect.promise(() => send({ port, path })).pipe(Effect.map((outcome) => (outcome as { text: string }).text))
      expect(yield* text("/first")).toBe("first")
      expect(yield* text("/other")).toBe("listener")
      expect(yield* text("/throws")).toBe("listener")
      yield* drain(server, Duration.seconds(5))
    }))

  it.live("drain lets a request in flight finish, then closes; keep-alive connections are told to close", () =>
    Effect.gen(function*() {
      const server = new ServiceHttpServer()
      server.on("request", (_request, response) => setTimeout(() => response.end("done"), 300))
      const port = yield* listen(server)
      const agent = new Agent({ keepAlive: true })
      const inFlight = send({ port, path: "/", agent })
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
      expect(server.unfinished.size).toBe(1)
      yield* drain(server, Duration.seconds(10))
      const answer = yield* Effect.promise(() => inFlight)
      expect(answer._tag === "Response" && answer.text).toBe("done")
      expect(answer._tag === "Response" && answer.headers.connection).toBe("close")
      expect(server.listening).toBe(false)
      agent.destroy()
    }))
})

describe("NodeServer.Live", () => {
  it.scoped("provides the server and the Shutdown that tells the floors below when it drains", () =>
    Effect.gen(function*() {
      const server = yield* NodeServer
      let drained = 0
      yield* onDrain(() => drained++)
      yield* listen(server)
      yield* drain(server, Duration.seconds(5))
      expect(drained).toBe(1)
    }).pipe(Effect.provide(NodeServer.Live)))
})
