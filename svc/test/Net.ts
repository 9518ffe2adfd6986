import { Effect } from "effect"
import { connect, createServer } from "node:net"

/** A TCP port that was free a moment ago on 127.0.0.1. */
export const freePort = Effect.async<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export const accepts = (port: number) =>
  Effect.async<boolean>((resume) => {
    const socket = connect({ port, host: "127.0.0.1" })
    socket.setTimeout(2_000)
    socket.once("connect", () => {
      socket.destroy()
      resume(Effect.succeed(true))
    })
    socket.once("timeout", () => {
      socket.destroy()
      resume(Effect.succeed(false))
    })
    socket.once("error", () => resume(Effect.succeed(false)))
  })

/** Polls `url` until it answers 200, failing after `timeoutMs`. */
export const waitFor200 = (url: string, timeoutMs = 20_000) =>
  Effect.tryPromise(async () => {
    const deadline = Date.now() + timeoutMs
    let last = "no answer"
    while (Date.now() < deadline) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) })
        if (response.status === 200) return
        last = `${response.status} ${await response.text()}`
      } catch (cause) {
        last = String(cause)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error(`${url} never answered 200 (last: ${last})`)
  })
