import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { ChangeWaits } from "../Database/ChangeWaits.js"
import type { RenderedChanges } from "./Resource.js"

/**
 * `read` at once, and while it finds no change, again whenever the keys change, until it
 * finds one or `seconds` pass; then the last read, changes or none. Between reads it holds
 * no database connection, only a waiter, made before the first read so no change is missed
 * and closed when done.
 */
export const longPoll = <E, R>(
  read: Effect.Effect<RenderedChanges, E, R>,
  keys: ReadonlyArray<string>,
  seconds: number
) =>
  Effect.scoped(Effect.gen(function*() {
    const waiter = yield* Effect.flatMap(ChangeWaits, (waits) => waits.waiter(keys))
    const deadline = (yield* Clock.currentTimeMillis) + seconds * 1000
    for (;;) {
      const page = yield* read
      const left = deadline - (yield* Clock.currentTimeMillis)
      if (page.changes.length > 0 || left <= 0) return page
      yield* Effect.timeoutOption(waiter.changed, Duration.millis(left))
    }
  }))
