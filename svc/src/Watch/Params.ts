import * as Schema from "effect/Schema"
import { DecimalInt } from "../Domain/Numbers.js"
import { queryParams } from "../Domain/QueryParams.js"

/** The longest a blocking read waits, in seconds. */
export const maxWaitSeconds = 60

const wait = Schema.optionalWith(
  DecimalInt(1, maxWaitSeconds).annotations({
    description: "seconds, 1 to 60: while `If-None-Match` still matches, hold the request until the resource " +
      "changes (200, or 404 once it is gone) or the wait ends (304)"
  }),
  { exact: true }
)

/** `?wait=` of a read: how long to hold it while `If-None-Match` still matches. */
export const WaitParams = queryParams({ wait })
export type WaitParams = typeof WaitParams.Type

/** A revision as a client names it: `?after=` or `Last-Event-ID`. */
export const RevisionParam = DecimalInt(0, Number.MAX_SAFE_INTEGER)

export const WatchParams = queryParams({
  after: Schema.optionalWith(
    RevisionParam.annotations({
      description: "replay every change after this revision, then go live (`Last-Event-ID`, when sent, wins)"
    }),
    { exact: true }
  )
})

export const WatchHeaders = Schema.Struct({
  "last-event-id": Schema.optionalWith(
    RevisionParam.annotations({
      description: "the `id` of the last event received: replay every change after it, then go live"
    }),
    { exact: true }
  )
})
