import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import { ChangeFeed } from "../ChangeFeed/ChangeFeed.js"
import { parseChange } from "../ChangeFeed/ChangeKeys.js"
import { pollEvery } from "../ChangeFeed/ChangeWaits.js"
import type { ApplicationId } from "../Domain/Ids.js"
import { onDrain } from "../Domain/Shutdown.js"
import { changeFrame, type Frame } from "./Frames.js"
import { WatchRepo } from "./Repo.js"
import { enqueue, newSubscriber, signal, type Subscriber, takeAll } from "./Subscriber.js"
import { WatchTuning } from "./Tuning.js"

/** What a stream sees of its application's tail. */
export interface TailView {
  /** The highest revision the tail read from the log (every change up to it was handed out). */
  readonly cursor: () => number | undefined
  readonly deleted: () => boolean
}

interface Tail {
  readonly id: ApplicationId
  readonly subscribers: Map<Subscriber, () => void>
  cursor: number | undefined
  deleted: boolean
  dirty: boolean
  reading: boolean
  retry: ReturnType<typeof setTimeout> | undefined
}

const newTail = (id: ApplicationId): Tail =>
  ({ id, subscribers: new Map(), cursor: undefined, deleted: false, dirty: false, reading: false, retry: undefined })

/**
 * One reader per watched application on this instance: woken by the change feed (a wake-up,
 * never content), it reads each new revision from the log once and hands the change to every
 * stream watching the application. A stream whose client leaves more than `maxBufferedBytes`
 * unread is dropped (it reconnects with `Last-Event-ID`); streams that fell behind otherwise
 * read the log themselves. When the server drains (`Shutdown`) every stream ends.
 */
export class Tails extends Effect.Service<Tails>()("Watch/Tails", {
  dependencies: [WatchRepo.Default],
  scoped: Effect.gen(function*() {
    const repo = yield* WatchRepo
    const feed = yield* ChangeFeed
    const tuning = yield* WatchTuning
    const runFork = yield* FiberSet.makeRuntime<never>()
    const tails = new Map<string, Tail>()
    let closing = false

    const drop = (tail: Tail, subscriber: Subscriber) => {
      const destroy = tail.subscribers.get(subscriber)
      tail.subscribers.delete(subscriber)
      subscriber.ended = true
      takeAll(subscriber)
      destroy?.()
      signal(subscriber)
    }

    const publish = (tail: Tail, frame: Frame) => {
      for (const subscriber of [...tail.subscribers.keys()]) {
        if (enqueue(subscriber, frame) > tuning.maxBufferedBytes) drop(tail, subscriber)
      }
    }

    /** Reads what the log holds past the cursor until nothing is left to read. */
    const read = (tail: Tail) =>
      Effect.gen(function*() {
        while (tail.dirty && tail.subscribers.size > 0 && !tail.deleted) {
          tail.dirty = false
          if (tail.cursor === undefined) {
            const head = yield* repo.revision(tail.id)
            if (head === undefined) tail.deleted = true
            else tail.cursor = head
          } else {
            const page = yield* repo.events(tail.id, tail.cursor, tuning.pageSize)
            if (page === undefined) tail.deleted = true
            else if (page._tag === "Pruned") tail.cursor = page.current
            else {
              for (const event of page.changes) {
                publish(tail, changeFrame(event.revision, event.json))
                tail.cursor = event.revision
              }
              if (page.changes.length === tuning.pageSize) tail.dirty = true
            }
          }
          tail.subscribers.forEach((_, subscriber) => signal(subscriber))
        }
      })

    const poke = (tail: Tail) => {
      tail.dirty = true
      if (tail.reading || tail.retry !== undefined || tail.subscribers.size === 0) return
      tail.reading = true
      runFork(read(tail).pipe(
        Effect.catchAllCause(() =>
          Effect.sync(() => {
            tail.dirty = true
            tail.retry = setTimeout(() => {
              tail.retry = undefined
              poke(tail)
            }, pollEvery)
          })
        ),
        Effect.ensuring(Effect.sync(() => {
          tail.reading = false
          if (tail.dirty && tail.retry === undefined) poke(tail)
        }))
      ))
    }

    const pokeAll = () => tails.forEach(poke)

    yield* feed.subscribe({
      change: (payload) => {
        const change = parseChange(payload)
        if (change?.kind === "all") return pokeAll()
        if (change?.kind !== "application" && change?.kind !== "revision") return
        const tail = tails.get(change.kind === "revision" ? change.applicationId : change.id)
        if (tail === undefined || (change.kind === "revision" && tail.cursor !== undefined && change.revision <= tail.cursor)) return
        poke(tail)
      },
      reset: pokeAll
    })
    yield* Effect.acquireRelease(
      Effect.sync(() => setInterval(() => feed.trusted() || pokeAll(), pollEvery)),
      (timer) => Effect.sync(() => clearInterval(timer))
    )

    const endAll = () => {
      closing = true
      for (const tail of tails.values()) {
        tail.subscribers.forEach((_, subscriber) => {
          subscriber.ended = true
          signal(subscriber)
        })
      }
    }
    yield* onDrain(endAll)
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        endAll()
        tails.forEach((tail) => clearTimeout(tail.retry))
      })
    )

    /**
     * Adds a stream to the application's tail until the scope closes; `destroy` cuts its
     * connection when it is dropped. Add it before the stream's first read: nothing committed
     * after that read is then missed.
     */
    const subscribe = (id: ApplicationId, destroy: () => void) =>
      Effect.acquireRelease(
        Effect.sync(() => {
          const tail = tails.get(id) ?? newTail(id)
          tails.set(id, tail)
          const subscriber = newSubscriber(closing)
          tail.subscribers.set(subscriber, destroy)
          if (tail.cursor === undefined) poke(tail)
          const view: TailView = { cursor: () => tail.cursor, deleted: () => tail.deleted }
          return { tail, subscriber, view }
        }),
        ({ subscriber, tail }) =>
          Effect.sync(() => {
            tail.subscribers.delete(subscriber)
            if (tail.subscribers.size > 0 || tails.get(tail.id) !== tail) return
            tails.delete(tail.id)
            clearTimeout(tail.retry)
          })
      ).pipe(Effect.map(({ subscriber, view }) => ({ subscriber, tail: view })))

    return {
      subscribe,
      /** How many applications have a tail, and how many streams watch them. */
      stats: () => ({
        tails: tails.size,
        streams: [...tails.values()].reduce((n, tail) => n + tail.subscribers.size, 0)
      })
    } as const
  })
}) {}
