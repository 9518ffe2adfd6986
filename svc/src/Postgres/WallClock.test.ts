import { expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import { wallSleep } from "./WallClock.js"

it.effect("sleeps in real time, whatever the runtime's clock; interrupted, it stops its timer", () =>
  Effect.gen(function*() {
    const started = performance.now()
    yield* wallSleep(50)
    expect(performance.now() - started).toBeGreaterThanOrEqual(45)
    const fiber = yield* Effect.fork(wallSleep(60_000))
    yield* TestClock.adjust("2 minutes")
    expect(fiber.unsafePoll()).toBeNull()
    yield* Fiber.interrupt(fiber)
  }))
