import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import { TooManyWatchers } from "../Domain/Errors.js"
import { onDrain } from "../Domain/Shutdown.js"
import { ChangeFeed } from "./ChangeFeed.js"
import { kindOf, revisionsKeyOf } from "./ChangeKeys.js"
import { wallSleep } from "../Postgres/WallClock.js"

/** How often a waiter looks for itself while the change feed cannot be trusted to wake it. */
export const pollEvery = 1_000

/** A wait for changes to some keys, registered before the caller reads what it waits on. */
export interface Waiter {
  /**
   * Completes at the first change to one of the keys since the last time it completed (or since
   * the waiter was made) — at once if one came meanwhile; also when anything may have changed
   * (the feed reconnected), and every `pollEvery` while the feed is not trusted.
   */
  readonly changed: Effect.Effect<void>
}

/**
 * Waits for committed changes that hold no database connection: one `ChangeFeed` wakes them
 * all. Keys are those of the feed (`ChangeKeys`), and `revisionsKey(application)` for any
 * revision of an application. Make the waiter first, then read, then wait on
 * `changed`: a change committed between the read and the wait is not missed.
 */
export class ChangeWaits extends Context.Tag("ChangeFeed/ChangeWaits")<ChangeWaits, {
  readonly waiter: (keys: ReadonlyArray<string>) => Effect.Effect<Waiter, TooManyWatchers, Scope.Scope>
  /**
   * Reads with `read` until `done` holds of what it read or `seconds` of real time pass, waiting
   * between reads on `keys`; what it read last. Once the service is shutting down it answers at
   * once, with what it read.
   */
  readonly hold: <A, E, R>(
    keys: ReadonlyArray<string>,
    seconds: number,
    read: Effect.Effect<A, E, R>,
    done: (value: A) => boolean
  ) => Effect.Effect<A, E | TooManyWatchers, R>
  /** How many waiters are open now. */
  readonly open: () => number
}>() {}

interface Registered {
  dirty: boolean
  resume: (() => void) | undefined
}

const wake = (registered: Registered) => {
  registered.dirty = true
  registered.resume?.()
}

/** The key a feed payload wakes: a revision's wakes its application's `revisionsKey`, any other itself. */
export const wakeKey = (payload: string) => (kindOf(payload) === "revision" ? revisionsKeyOf(payload) : payload)

export const makeChangeWaits = (maxWaiters: number) =>
  Effect.gen(function*() {
    const feed = yield* ChangeFeed
    const byKey = new Map<string, Set<Registered>>()
    const all = new Set<Registered>()
    const wakeAll = () => all.forEach(wake)

    const changed = (payload: string) => (kindOf(payload) === "all" ? wakeAll() : byKey.get(wakeKey(payload))?.forEach(wake))
    yield* feed.subscribe({ change: changed, reset: wakeAll, hint: changed })
    yield* Effect.acquireRelease(
      Effect.sync(() => setInterval(() => feed.trusted() || wakeAll(), pollEvery)),
      (timer) => Effect.sync(() => clearInterval(timer))
    )

    const waiter = (keys: ReadonlyArray<string>) =>
      Effect.acquireRelease(
        Effect.suspend(() => {
          if (all.size >= maxWaiters) return Effect.fail(TooManyWatchers.of(maxWaiters))
          const registered: Registered = { dirty: false, resume: undefined }
          all.add(registered)
          for (const key of keys) byKey.set(key, (byKey.get(key) ?? new Set()).add(registered))
          return Effect.succeed(registered)
        }),
        (registered) =>
          Effect.sync(() => {
            all.delete(registered)
            for (const key of keys) {
              const set = byKey.get(key)
              set?.delete(registered)
              if (set?.size === 0) byKey.delete(key)
            }
          })
      ).pipe(Effect.map((registered): Waiter => ({
        changed: Effect.async<void>((resume) => {
          if (registered.dirty) {
            registered.dirty = false
            return resume(Effect.void)
          }
          registered.resume = () => {
            registered.dirty = false
            registered.resume = undefined
            resume(Effect.void)
          }
          return Effect.sync(() => (registered.resume = undefined))
        })
      })))

    let released = false
    yield* onDrain(() => {
      released = true
      wakeAll()
    })

    const hold = <A, E, R>(keys: ReadonlyArray<string>, seconds: number, read: Effect.Effect<A, E, R>, done: (value: A) => boolean) =>
      Effect.scoped(Effect.gen(function*() {
        const waits = yield* waiter(keys)
        const deadline = performance.now() + seconds * 1000
        for (;;) {
          const value = yield* read
          const left = deadline - performance.now()
          if (done(value) || released || left <= 0) return value
          yield* Effect.race(waits.changed, wallSleep(left))
        }
      }))

    return { waiter, hold, open: () => all.size }
  })

/** `ChangeWaits` with at most `maxWaiters` open at once (`WATCH_MAX_STREAMS`). */
export const layerChangeWaits = (maxWaiters: number) => Layer.scoped(ChangeWaits, makeChangeWaits(maxWaiters))
