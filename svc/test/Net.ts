import { Effect } from "effect"
import * as HttpServer from "@effect/platform/HttpServer"
import { type Agent, type IncomingHttpHeaders, request as httpRequest } from "node:http"
import { connect, createServer, type Server } from "node:net"

/** A TCP port that was free a moment ago on 127.0.0.1. */
export const freePort = Effect.async<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** A TCP server listening on `host`:`port` until the scope closes (to make a port taken). */
export const holdPort = (host: string, port: number) =>
  Effect.acquireRelease(
    Effect.async<Server>((resume) => {
      const server = createServer()
      server.listen({ host, port }, () => resume(Effect.succeed(server)))
    }),
    (server) => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
  )

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

export interface HttpResponse {
  readonly _tag: "Response"
  readonly status: number
  readonly headers: IncomingHttpHeaders
  /** The whole body, read to its end. */
  readonly text: string
  /** The body parsed as JSON, `undefined` when it is not JSON. */
  readonly json: unknown
  /** Whether the request went out on a keep-alive connection used before. */
  readonly reusedSocket: boolean
  readonly ms: number
}

export interface HttpFailure {
  readonly _tag: "Failure"
  /** `ECONNREFUSED`, `ECONNRESET`, `EPIPE`, `TIMEOUT`, … */
  readonly code: string
  readonly message: string
  /** Whether the TCP connection was open when the request failed (false: it was never accepted). */
  readonly connected: boolean
  readonly reusedSocket: boolean
  readonly ms: number
}

export type HttpOutcome = HttpResponse | HttpFailure

export interface HttpRequest {
  readonly port: number
  readonly method?: string
  readonly path: string
  /** A value sent as JSON. */
  readonly body?: unknown
  /** A body sent as it is, byte for byte (instead of `body`). */
  readonly raw?: string | Uint8Array
  readonly agent?: Agent | false
  readonly timeoutMs?: number
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * One request over `node:http` (so connection errors keep their codes). Never rejects: a
 * response read to its end is a `Response`, anything else a `Failure`.
 */
export const send = (options: HttpRequest): Promise<HttpOutcome> =>
  new Promise((resolve) => {
    const started = performance.now()
    const ms = () => Math.round(performance.now() - started)
    const payload = options.raw !== undefined
      ? Buffer.from(options.raw)
      : options.body === undefined
      ? undefined
      : Buffer.from(JSON.stringify(options.body))
    let connected = false
    let settled = false
    const request = httpRequest({
      host: "127.0.0.1",
      port: options.port,
      method: options.method ?? "GET",
      path: options.path,
      agent: options.agent ?? false,
      headers: payload === undefined
        ? { ...options.headers }
        : { "content-type": "application/json", "content-length": String(payload.length), ...options.headers }
    })
    const fail = (error: NodeJS.ErrnoException) => {
      if (settled) return
      settled = true
      resolve({
        _tag: "Failure",
        code: error.code ?? error.message,
        message: error.message,
        connected,
        reusedSocket: request.reusedSocket,
        ms: ms()
      })
    }
    request.setTimeout(options.timeoutMs ?? 15_000, () => {
      const error: NodeJS.ErrnoException = new Error(`no response within ${options.timeoutMs ?? 15_000} ms`)
      error.code = "TIMEOUT"
      fail(error)
      request.destroy()
    })
    request.on("socket", (socket) => {
      if (!socket.connecting) connected = true
      else socket.once("connect", () => (connected = true))
    })
    request.on("error", fail)
    request.on("response", (response) => {
      const chunks: Array<Buffer> = []
      response.on("data", (chunk: Buffer) => chunks.push(chunk))
      response.on("error", fail)
      response.on("aborted", () => fail(Object.assign(new Error("response aborted"), { code: "ECONNRESET" })))
      response.on("end", () => {
        if (settled) return
        if (!response.complete) return fail(Object.assign(new Error("response incomplete"), { code: "ECONNRESET" }))
        settled = true
        const text = Buffer.concat(chunks).toString("utf8")
        let json: unknown = undefined
        try {
          json = JSON.parse(text)
        } catch {
          json = undefined
        }
        resolve({
          _tag: "Response",
          status: response.statusCode ?? 0,
          headers: response.headers,
          text,
          json,
          reusedSocket: request.reusedSocket,
          ms: ms()
        })
      })
    })
    request.end(payload)
  })

/** Requests to the test layer's HTTP server over node:http; anything but a response read to its end fails the test. */
export const serverClient = Effect.gen(function*() {
  const port = ((yield* HttpServer.HttpServer).address as HttpServer.TcpAddress).port
  return (options: Omit<HttpRequest, "port">) =>
    Effect.promise(() => send({ port, ...options })).pipe(
      Effect.map((outcome) => {
        if (outcome._tag !== "Response") throw new Error(`${options.path}: ${outcome.code}`)
        return outcome
      })
    )
})
