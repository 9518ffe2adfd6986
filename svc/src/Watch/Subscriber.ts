import * as Effect from "effect/Effect"
import type { Frame } from "./Frames.js"

/** A stream's place at its application's tail: the changes handed to it and not yet taken (use `enqueue` and `takeAll`). */
export interface Subscriber {
  readonly queue: Array<Frame>
  /** The bytes of `queue`'s frames. */
  queuedBytes: number
  /** Ended by the instance (shutdown) or dropped (its client stopped reading). */
  ended: boolean
  signaled: boolean
  wake: (() => void) | undefined
}

export const newSubscriber = (ended: boolean): Subscriber =>
  ({ queue: [], queuedBytes: 0, ended, signaled: false, wake: undefined })

/** Hands `frame` to the subscriber; yields the bytes it now holds untaken. */
export const enqueue = (subscriber: Subscriber, frame: Frame) => {
  subscriber.queue.push(frame)
  return (subscriber.queuedBytes += frame.bytes.length)
}

/** Takes every frame handed to the subscriber, oldest first. */
export const takeAll = (subscriber: Subscriber): Array<Frame> => {
  subscriber.queuedBytes = 0
  return subscriber.queue.splice(0)
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
