import { Effect } from "effect"
import { ChangeFeed, type ChangeListener } from "../src/ChangeFeed/ChangeFeed.js"

/** A change feed the test drives by hand: connected (trusted, answering) until told otherwise. */
export const manualFeed = () => {
  const listeners = new Set<ChangeListener>()
  const state = { connected: true, announced: 0 }
  const feed = ChangeFeed.of({
    instanceId: "test",
    trusted: () => state.connected,
    answering: () => state.connected,
    health: () => (state.connected ? "ok" : "down"),
    announce: () => {
      state.announced++
      return Promise.resolve()
    },
    subscribe: (listener) =>
      Effect.acquireRelease(Effect.sync(() => listeners.add(listener)), () => Effect.sync(() => listeners.delete(listener)))
  })
  return {
    state,
    feed,
    change: (key: string) => listeners.forEach((listener) => listener.change(key)),
    reset: () => listeners.forEach((listener) => listener.reset())
  }
}
