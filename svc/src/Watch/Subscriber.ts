import * as Effect from "effect/Effect"
import type { Frame } from "./Frames.js"

/** A stream's place at its application's tail: the changes handed to it and not yet taken. */
export interface Subscriber {
  readonly queue: Array<Frame>
  queuedBytes: number
  /** Ended by the instance (shutdown) or dropped (its client stopped reading). */
  ended: boolean
  signaled: boolean
  wake: (() => void) | undefined
}

/** Wakes the subscriber's stream, or leaves it a signal for when it next waits. */
export const signal = (subscriber: Subscriber) => {
  if (subscriber.wake !== undefined) subscriber.wake()
  else subscriber.signaled = true
}

/** Completes when the tail signals the subscriber (true) or after `ms` (false). */
export const signaled = (subscriber: Subscriber, ms: number) =>
  Effect.async<boolean>((resume) => {
    if (subscriber.signaled) {
      subscriber.signaled = false
      return resume(Effect.succeed(true))
    }
    const timer = setTimeout(() => {
      subscriber.wake = undefined
      resume(Effect.succeed(false))
    }, ms)
    subscriber.wake = () => {
      clearTimeout(timer)
      subscriber.wake = undefined
      subscriber.signaled = false
      resume(Effect.succeed(true))
    }
    return Effect.sync(() => {
      clearTimeout(timer)
      subscriber.wake = undefined
    })
  })
