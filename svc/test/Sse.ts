import { Effect } from "effect"
import { type IncomingHttpHeaders, request as httpRequest } from "node:http"

/** One Server-Sent Event as a client sees it; a comment is `event: "comment"` with its text as `data`. */
export interface SseEvent {
  readonly id: string | undefined
  readonly event: string
  readonly data: string
  /** When it arrived (`performance.now()`). */
  readonly at: number
}

export interface SseStream {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  /** The events received so far, in order. */
  readonly events: Array<SseEvent>
  /** The comment lines received so far, in order. */
  readonly comments: Array<SseEvent>
  /** The body of a response that is not a stream (an error), once read. */
  readonly body: () => string
  /** Whether the server ended the stream or the connection broke. */
  readonly closed: () => boolean
  /** Stops reading (the server's writes back up) or reads again. */
  readonly pause: () => void
  readonly resume: () => void
  /** Hangs up. */
  readonly close: () => void
}

/** Parses complete events (and comments) out of `buffer`; returns what is left of it. */
const parse = (buffer: string, into: Array<SseEvent>, comments: Array<SseEvent>) => {
  let end: number
  while ((end = buffer.indexOf("\n\n")) >= 0) {
    const block = buffer.slice(0, end)
    buffer = buffer.slice(end + 2)
    let id: string | undefined
    let event = "message"
    const data: Array<string> = []
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) {
        event = "comment"
        data.push(line.slice(1).trim())
      }
      else if (line.startsWith("id: ")) id = line.slice(4)
      else if (line.startsWith("event: ")) event = line.slice(7)
      else if (line.startsWith("data: ")) data.push(line.slice(6))
    }
    const parsed = { id, event, data: data.join("\n"), at: performance.now() }
    if (event === "comment") comments.push(parsed)
    else into.push(parsed)
  }
  return buffer
}

/** `GET` of an event stream on 127.0.0.1:`port`, read as it arrives; hung up when the scope closes. */
export const openSse = (port: number, path: string, headers: Record<string, string> = {}) =>
  Effect.acquireRelease(
    Effect.async<SseStream, Error>((resume) => {
      const req = httpRequest({ host: "127.0.0.1", port, path, headers: { accept: "text/event-stream", ...headers }, agent: false })
      req.once("error", (error) => resume(Effect.fail(error)))
      req.once("response", (response) => {
        const events: Array<SseEvent> = []
        const comments: Array<SseEvent> = []
        let buffer = ""
        let text = ""
        let closed = false
        response.setEncoding("utf8")
        response.on("data", (chunk: string) => {
          text += chunk.length < 100_000 ? chunk : ""
          buffer = parse(buffer + chunk, events, comments)
        })
        const done = () => (closed = true)
        response.once("end", done)
        response.once("close", done)
        response.once("error", done)
        req.on("error", done)
        resume(Effect.succeed({
          status: response.statusCode!,
          headers: response.headers,
          events,
          comments,
          body: () => text,
          closed: () => closed,
          pause: () => response.pause(),
          resume: () => response.resume(),
          close: () => req.destroy()
        }))
      })
      req.end()
    }),
    (stream) => Effect.sync(() => stream.close())
  )

/** Waits until `condition` holds, for at most `seconds`; whether it does. */
export const eventually = (condition: () => boolean, seconds = 10) =>
  Effect.promise(async () => {
    const deadline = Date.now() + seconds * 1000
    while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    return condition()
  })

/** The revisions of the `change` events among `events`, in order. */
export const changeIds = (events: ReadonlyArray<SseEvent>) =>
  events.filter((e) => e.event === "change").map((e) => Number(e.id))
