import { expect, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { signal, signaled, type Subscriber } from "./Subscriber.js"

const subscriber = (): Subscriber => ({ queue: [], queuedBytes: 0, ended: false, signaled: false, wake: undefined })

it.effect("a signal wakes a waiting stream; one sent before it waits is kept for it; none within the time is false", () =>
  Effect.gen(function*() {
    const waiting = subscriber()
    const fiber = yield* Effect.fork(signaled(waiting, 60_000))
    yield* Effect.yieldNow()
    expect(waiting.wake).toBeDefined()
    signal(waiting)
    expect(yield* Fiber.join(fiber)).toBe(true)
    expect([waiting.wake, waiting.signaled]).toEqual([undefined, false])

    const early = subscriber()
    signal(early)
    expect(early.signaled).toBe(true)
    expect(yield* signaled(early, 60_000)).toBe(true)
    expect(yield* signaled(early, 20)).toBe(false)
    expect(early.wake).toBeUndefined()

    const interrupted = subscriber()
    yield* Fiber.interrupt(yield* Effect.fork(signaled(interrupted, 60_000)))
    expect(interrupted.wake).toBeUndefined()
  }))
