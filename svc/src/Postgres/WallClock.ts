import * as Effect from "effect/Effect"

/**
 * Sleeps `ms` of real time, whatever `Clock` the runtime was built with: waits and heartbeats
 * keep time for clients, also in a runtime built under a test clock.
 */
export const wallSleep = (ms: number): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    const timer = setTimeout(() => resume(Effect.void), Math.max(0, ms))
    return Effect.sync(() => clearTimeout(timer))
  })
