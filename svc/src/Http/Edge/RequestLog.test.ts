import { describe, expect, it } from "@effect/vitest"
import { Effect, HashMap, Logger, LogLevel } from "effect"
import { logsRequests, requestLog } from "./RequestLog.js"

const capture = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const lines: Array<{ message: string; annotations: Record<string, unknown> }> = []
    const logger = Logger.make(({ annotations, message }) =>
      lines.push({
        message: String(Array.isArray(message) ? message[0] : message),
        annotations: Object.fromEntries(HashMap.toEntries(annotations))
      })
    )
    yield* effect.pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
    return lines
  })

describe("RequestLog", () => {
  it.effect("one line: method, path, status and duration in the message, or as annotations for JSON logs", () =>
    Effect.gen(function*() {
      expect(yield* capture(requestLog(false)("GET", "/api/v1/applications", 200, 1.234))).toEqual([
        { message: "GET /api/v1/applications 200 1.2ms", annotations: {} }
      ])
      expect(yield* capture(requestLog(true)("PUT", "/x", 412, 9.99))).toEqual([
        { message: "request", annotations: { method: "PUT", path: "/x", status: 412, duration_ms: 10 } }
      ])
    }))

  it("requests are logged at info and below", () => {
    expect(logsRequests(LogLevel.Info)).toBe(true)
    expect(logsRequests(LogLevel.Debug)).toBe(true)
    expect(logsRequests(LogLevel.Warning)).toBe(false)
    expect(logsRequests(LogLevel.None)).toBe(false)
  })
})
