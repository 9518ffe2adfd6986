import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { WatchTuning } from "./Tuning.js"

it.effect("streams heartbeat every 15 s and are dropped past 4 MiB unread unless told otherwise", () =>
  Effect.gen(function*() {
    expect(yield* WatchTuning).toEqual({ heartbeatMs: 15_000, maxBufferedBytes: 4 * 1024 * 1024, pageSize: 32 })
    const tuned = yield* Effect.provideService(WatchTuning, WatchTuning, { ...WatchTuning.defaultValue(), heartbeatMs: 1_000 })
    expect(tuned.heartbeatMs).toBe(1_000)
  }))
