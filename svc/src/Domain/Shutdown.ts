import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

/**
 * What the server tells the floors below it when it begins to drain: held reads and watch
 * streams end then, so they do not hold up the shutdown. Provided by the HTTP server
 * (`NodeServer.Live`); where nothing provides it, nothing drains.
 */
export class Shutdown extends Context.Tag("Domain/Shutdown")<Shutdown, {
  /** Calls `f` when draining begins; returns what stops that. */
  readonly onDrain: (f: () => void) => () => void
}>() {}

/** Calls `f` when the server begins to drain, for as long as the current scope is open. */
export const onDrain = (f: () => void) =>
  Effect.flatMap(Effect.serviceOption(Shutdown), (shutdown) =>
    Option.isNone(shutdown)
      ? Effect.void
      : Effect.asVoid(Effect.acquireRelease(Effect.sync(() => shutdown.value.onDrain(f)), (stop) => Effect.sync(stop))))
