import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { ChangeWaits } from "../ChangeFeed/ChangeWaits.js"
import { ApplicationNotFound } from "../Domain/Errors.js"
import type { ApplicationId } from "../Domain/Ids.js"
import { changeFrame, deletedFrame, heartbeatFrame, openingFrame, resetFrame, snapshotFrame } from "./Frames.js"
import { WatchRepo } from "./Repo.js"
import { pullReadable } from "./PullReadable.js"
import { signaled, takeAll } from "./Subscriber.js"
import { Tails } from "./Tails.js"
import { WatchTuning } from "./Tuning.js"

type Read = { readonly frames: Array<Uint8Array>; readonly last: number; readonly more: boolean } | "gone"

/**
 * The watch stream of application `id`: a snapshot, or with `after` every change after that
 * revision, then each change as it commits. The stream keeps the last revision it sent and
 * sends only the one after it: changes its tail hands over in order, else read from the log
 * (`revision > last`) — no change is missed or sent twice, however notifications, reconnects
 * and pruning interleave. Holds one of the instance's `WATCH_MAX_STREAMS` until its scope
 * closes; fails before anything is sent when there is no such application.
 */
export const openStream = (id: ApplicationId, after: number | undefined, destroy: () => void) =>
  Effect.gen(function*() {
    const repo = yield* WatchRepo
    const tuning = yield* WatchTuning
    yield* (yield* ChangeWaits).waiter([])
    const { subscriber, tail } = yield* (yield* Tails).subscribe(id, destroy)

    const snapshot = Effect.map(repo.snapshot(id), (row) => snapshotFrame(row.revision, row.json))

    /** The next page of changes after `last`; a reset and a snapshot when they are not all kept. */
    const readFrom = (last: number) =>
      Effect.gen(function*() {
        const page = yield* repo.events(id, last, tuning.pageSize)
        if (page === undefined) return "gone" as const
        if (page._tag === "Changes" && page.current >= last) {
          const frames = page.changes.map((event) => changeFrame(event.revision, event.json).bytes)
          return { frames, last: page.changes.at(-1)?.revision ?? last, more: page.changes.length === tuning.pageSize }
        }
        const earliest = page._tag === "Pruned" ? page.earliest : undefined
        const fresh = yield* snapshot
        return { frames: [resetFrame(last, earliest), fresh.bytes], last: fresh.revision, more: false }
      }).pipe(Effect.catchTag("ApplicationNotFound", () => Effect.succeed("gone" as const)))

    const first: Read = after === undefined
      ? yield* Effect.map(snapshot, (frame) => ({ frames: [frame.bytes], last: frame.revision, more: false }))
      : yield* readFrom(after)
    if (first === "gone") return yield* ApplicationNotFound.of(id)

    let last = first.last
    let behind = first.more
    let pending: Array<Uint8Array> | undefined = [openingFrame(id), ...first.frames]
    let ended = false

    const end = (frames: Array<Uint8Array>) => {
      ended = true
      return frames
    }

    /** What the stream sends next: taken from the tail while in order, else read from the log. */
    const next = Effect.gen(function*() {
      while (!ended && !subscriber.ended) {
        if (pending !== undefined) {
          const frames = pending
          pending = undefined
          if (frames.length > 0) return frames
        }
        const frames: Array<Uint8Array> = []
        for (const frame of takeAll(subscriber)) {
          if (frame.revision <= last) continue
          if (frame.revision > last + 1) {
            behind = true
            break
          }
          frames.push(frame.bytes)
          last = frame.revision
        }
        if (frames.length > 0) return frames
        if (behind || (tail.cursor() ?? -1) > last) {
          const read = yield* readFrom(last)
          if (read === "gone") return end([deletedFrame(id)])
          behind = read.more
          last = read.last
          if (read.frames.length > 0) return read.frames
          continue
        }
        if (tail.deleted()) return end([deletedFrame(id)])
        if (!(yield* signaled(subscriber, tuning.heartbeatMs))) return [heartbeatFrame]
      }
      return []
    }).pipe(
      // A database that stopped answering ends the stream; the client resumes with Last-Event-ID.
      Effect.catchAll(() => Effect.succeed(end([]))),
      Effect.flatMap((frames) =>
        frames.length === 0 && (ended || subscriber.ended)
          ? Effect.fail(Option.none())
          : Effect.succeed(Chunk.unsafeFromArray(frames))
      )
    )

    return pullReadable(yield* Effect.runtime<never>(), next)
  })
