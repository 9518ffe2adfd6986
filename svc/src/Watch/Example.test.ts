import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { readFileSync } from "node:fs"
import { createServer, connect, type Socket } from "node:net"
import { watch } from "../../examples/watch.js"
import { eventually } from "../../test/Sse.js"
import { ServiceTest } from "../../test/ServiceTest.js"
import { withApp } from "../../test/Watch.js"

/** A TCP proxy to `port` whose connections can all be cut at once, as a load balancer or network would. */
const cuttableProxy = (port: number) =>
  Effect.acquireRelease(
    Effect.async<{
      readonly port: number
      readonly connections: () => number
      readonly cut: () => void
      readonly close: () => void
    }>((resume) => {
      const sockets = new Set<Socket>()
      let connections = 0
      const track = (socket: Socket) => {
        sockets.add(socket)
        socket.on("error", () => {}).on("close", () => sockets.delete(socket))
      }
      const server = createServer((client) => {
        connections++
        const upstream = connect(port, "127.0.0.1")
        track(client)
        track(upstream)
        client.pipe(upstream).pipe(client)
      })
      server.listen(0, "127.0.0.1", () =>
        resume(Effect.succeed({
          port: (server.address() as { port: number }).port,
          connections: () => connections,
          cut: () => sockets.forEach((socket) => socket.destroy()),
          close: () => {
            sockets.forEach((socket) => socket.destroy())
            server.close()
          }
        })))
    }),
    (proxy) => Effect.sync(proxy.close)
  )

it.layer(ServiceTest())("the README's watch client (examples/watch.ts)", (it) => {
  it.scoped("receives a snapshot, then every change exactly once across a cut connection", () =>
    Effect.gen(function*() {
      const { app, port, write } = yield* withApp
      const proxy = yield* cuttableProxy(port)
      const events: Array<{ event: string; data: any }> = []
      const stop = new AbortController()
      yield* Effect.addFinalizer(() => Effect.sync(() => stop.abort()))
      void watch(
        `http://127.0.0.1:${proxy.port}/api/v1/applications/${app.id}/watch`,
        (event, data) => events.push({ event, data: JSON.parse(data) }),
        stop.signal
      )
      expect(yield* eventually(() => events.length >= 1)).toBe(true)
      const config = yield* write.create(app.id, "c", { step: 1 })
      expect(yield* eventually(() => events.length >= 2)).toBe(true)

      proxy.cut()
      yield* write.update(config.id, "c", { step: 2 })
      yield* write.update(config.id, "c", { step: 3 })
      expect(yield* eventually(() => events.length >= 4)).toBe(true)
      yield* write.update(config.id, "c", { step: 4 })
      expect(yield* eventually(() => events.length >= 5)).toBe(true)

      expect(proxy.connections()).toBe(2)
      expect(events[0]).toMatchObject({ event: "snapshot", data: { revision: 0, configurations: [] } })
      expect(events.slice(1).map((e) => [e.event, e.data.revision, e.data.configuration?.config.step]))
        .toEqual([["change", 1, 1], ["change", 2, 2], ["change", 3, 3], ["change", 4, 4]])
    }))
})

it("is the client the README shows, verbatim", () => {
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8")
  const client = readFileSync(new URL("../../examples/watch.ts", import.meta.url), "utf8")
  expect(readme).toContain("```ts\n" + client + "```")
})
