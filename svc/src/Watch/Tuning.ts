import * as Context from "effect/Context"

/** A stream idle this long sends a comment line. */
export const heartbeatMs = 15_000

/** A stream whose client leaves more than this unread is dropped. */
export const maxBufferedBytes = 4 * 1024 * 1024

/** How watch streams behave; tests shorten the heartbeat and the buffer bound. */
export class WatchTuning extends Context.Reference<WatchTuning>()("Watch/Tuning", {
  defaultValue: () => ({
    heartbeatMs,
    maxBufferedBytes,
    /** Changes per read of the log. */
    pageSize: 32
  })
}) {}
