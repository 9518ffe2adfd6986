import { describe, expect, it } from "@effect/vitest"
import { Effect, Scope } from "effect"
import { manualShutdown } from "../../test/Shutdown.js"
import { onDrain, Shutdown } from "./Shutdown.js"

describe("onDrain", () => {
  it.effect("calls back when the server drains, only while its scope is open", () =>
    Effect.gen(function*() {
      const server = manualShutdown()
      let calls = 0
      const scope = yield* Scope.make()
      yield* onDrain(() => calls++).pipe(Scope.extend(scope), Effect.provideService(Shutdown, server.shutdown))
      server.drain()
      expect(calls).toBe(1)
      yield* Scope.close(scope, Effect.void as never)
      server.drain()
      expect(calls).toBe(1)
    }))

  it.effect("does nothing where no server provides Shutdown", () =>
    Effect.scoped(Effect.gen(function*() {
      yield* onDrain(() => {
        throw new Error("never called")
      })
    })))
})
