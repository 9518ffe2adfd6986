/**
 * The Server-Sent Events a watch stream sends, each encoded once and shared by every stream
 * that sends it. JSON rendered by PostgreSQL holds no line breaks, so each `data:` is one line.
 */

const encoder = new TextEncoder()

/** An encoded event; `revision` is its `id:` (changes and snapshots). */
export interface Frame {
  readonly revision: number
  readonly bytes: Uint8Array
}

const frame = (revision: number, text: string): Frame => ({ revision, bytes: encoder.encode(text) })

/** A change: `data:` as in `/changes`, plus the configuration after a create, update or restore. */
export const changeFrame = (revision: number, json: string) =>
  frame(revision, `id: ${revision}\nevent: change\ndata: ${json}\n\n`)

/** The application and all its configurations at `revision`. */
export const snapshotFrame = (revision: number, json: string) =>
  frame(revision, `id: ${revision}\nevent: snapshot\ndata: ${json}\n\n`)

/**
 * The stream cannot go on from revision `asked`: changes after it were removed by retention
 * (`earliest_revision` is the first kept), or the application never had it. A snapshot follows.
 */
export const resetFrame = (asked: number, earliest: number | undefined) =>
  encoder.encode(
    `event: reset\ndata: ${
      JSON.stringify({
        message: `cannot resume after revision ${asked}: ` + (earliest === undefined
          ? "the application has no such revision"
          : "changes after it are no longer all kept") + "; a snapshot follows",
        ...(earliest === undefined ? {} : { earliest_revision: earliest })
      })
    }\n\n`
  )

/** The application was deleted; the stream ends. */
export const deletedFrame = (id: string) =>
  encoder.encode(`event: deleted\ndata: ${JSON.stringify({ id, message: `application ${id} was deleted` })}\n\n`)

/** The first thing a stream sends: Node.js sends the status and headers only with the first bytes of the body. */
export const openingFrame = (id: string) => encoder.encode(`: watching application ${id}\n\n`)

/** A comment line that keeps idle proxies from closing the connection. */
export const heartbeatFrame = encoder.encode(": keep-alive\n\n")
