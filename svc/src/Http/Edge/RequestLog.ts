import * as Effect from "effect/Effect"
import * as LogLevel from "effect/LogLevel"

/** The request log line: in the message, or as annotations for JSON logs. Never headers or keys. */
export const requestLog = (structuredLogs: boolean) =>
(method: string, url: string, status: number, durationMs: number): Effect.Effect<void> => {
  const duration_ms = Math.round(durationMs * 10) / 10
  return structuredLogs
    ? Effect.logInfo("request").pipe(Effect.annotateLogs({ method, path: url, status, duration_ms }))
    : Effect.logInfo(`${method} ${url} ${status} ${duration_ms}ms`)
}

/** Whether requests are logged at `logLevel`: at info or below. */
export const logsRequests = (logLevel: LogLevel.LogLevel) => LogLevel.lessThanEqual(logLevel, LogLevel.Info)

/** When a request arrived, on a request the server took first and handed on (its log line counts from then). */
export const arrivedAt = Symbol.for("config-service/arrivedAt")

/** When `request` (a Node.js request) arrived: as recorded by a hand-on, else now. */
export const arrivalOf = (request: object): number => (request as { [arrivedAt]?: number })[arrivedAt] ?? performance.now()
