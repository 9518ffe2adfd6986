import * as Effect from "effect/Effect"
import { ChangeWaits } from "../ChangeFeed/ChangeWaits.js"
import type { RenderedChanges } from "./Resource.js"

/**
 * `read` at once, and while it finds no change, again whenever the keys change, until it finds
 * one or `seconds` pass (`ChangeWaits.hold`: no database connection held between reads).
 */
export const longPoll = <E, R>(read: Effect.Effect<RenderedChanges, E, R>, keys: ReadonlyArray<string>, seconds: number) =>
  Effect.flatMap(ChangeWaits, (waits) => waits.hold(keys, seconds, read, (page) => page.changes.length > 0))
