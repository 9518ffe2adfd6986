import * as Schema from "effect/Schema"
import { maxWaitSeconds, queryParams, RevisionParam, WaitSeconds } from "../Domain/QueryParams.js"

const wait = Schema.optionalWith(
  WaitSeconds.annotations({
    description: `seconds, 1 to ${maxWaitSeconds}: while \`If-None-Match\` still matches, hold the request until ` +
      "the resource changes (200, or 404 once it is gone) or the wait ends (304)"
  }),
  { exact: true }
)

/** `?wait=` of a read: how long to hold it while `If-None-Match` still matches. */
export const WaitParams = queryParams({ wait })
export type WaitParams = typeof WaitParams.Type

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
