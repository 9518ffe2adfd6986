import * as Context from "effect/Context"

/** How watch streams behave; tests shorten the heartbeat and the buffer bound. */
export class WatchTuning extends Context.Reference<WatchTuning>()("Watch/Tuning", {
  defaultValue: () => ({
    /** A stream idle this long sends a comment line. */
    heartbeatMs: 15_000,
    /** A stream whose client leaves more than this unread is dropped. */
    maxBufferedBytes: 4 * 1024 * 1024,
    /** Changes per read of the log. */
    pageSize: 32
  })
}) {}
