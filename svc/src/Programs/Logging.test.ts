import { afterEach, beforeEach, describe, expect, it, vi } from "@effect/vitest"
import type { MockInstance } from "@effect/vitest"
import { Effect, Logger } from "effect"
import { settingsFrom } from "../../test/ServiceTest.js"
import { LoggerLive } from "./Logging.js"

let log: MockInstance<typeof console.log>

beforeEach(() => {
  log = vi.spyOn(console, "log").mockImplementation(() => {})
})

afterEach(() => {
  log.mockRestore()
})

/** Runs `effect` under LoggerLive with the given settings (one call per test: logger layers are fiber-local). */
const logWith = (values: Record<string, string>, effect: Effect.Effect<void>) =>
  effect.pipe(Effect.provide(LoggerLive), Effect.provide(settingsFrom(values)))

/** Everything written to console.log, one string per call. */
const written = () => log.mock.calls.map((args) => args.map(String).join(" "))

const isJson = (line: string) => {
  try {
    return typeof JSON.parse(line) === "object"
  } catch {
    return false
  }
}

// `it.live` runs with Effect's default logger installed, as a plain `Effect.runFork` does
// (`it.effect` removes it).
describe("LoggerLive", () => {
  it.live("LOG_FORMAT=json writes one JSON object per line", () =>
    Effect.gen(function*() {
      yield* logWith(
        { LOG_FORMAT: "json" },
        Effect.gen(function*() {
          yield* Effect.logInfo("first message")
          yield* Effect.logWarning("second message").pipe(Effect.annotateLogs("request_id", "abc"))
        })
      )
      const lines = written()
      expect(lines).toHaveLength(2)
      for (const line of lines) {
        expect(line.split("\n")).toHaveLength(1)
        expect(isJson(line), line).toBe(true)
      }
      const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
      expect(first).toMatchObject({ message: "first message", logLevel: "INFO" })
      expect(second).toMatchObject({ message: "second message", logLevel: "WARN", annotations: { request_id: "abc" } })
    }))

  // NodeRuntime.runMain (src/main.ts) swaps Effect's default logger for the pretty logger
  // before any layer is built; LOG_FORMAT=json must still give JSON only.
  it.live("LOG_FORMAT=json writes JSON only under NodeRuntime.runMain's pretty logger", () =>
    Effect.gen(function*() {
      yield* logWith({ LOG_FORMAT: "json" }, Effect.logInfo("under runMain")).pipe(Effect.provide(Logger.pretty))
      const lines = written()
      expect(lines.length).toBeGreaterThan(0)
      for (const line of lines) expect(isJson(line), line).toBe(true)
      expect(JSON.parse(lines[0]!)).toMatchObject({ message: "under runMain", logLevel: "INFO" })
    }))

  it.live("LOG_FORMAT=pretty writes readable lines, not JSON", () =>
    Effect.gen(function*() {
      yield* logWith({ LOG_FORMAT: "pretty" }, Effect.logInfo("hello people"))
      const lines = written()
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain("hello people")
      expect(lines[0]).toContain("INFO")
      expect(lines[0]).not.toContain("timestamp=")
      expect(isJson(lines[0]!)).toBe(false)
    }))

  it.live("LOG_LEVEL=error suppresses info and warnings but keeps errors", () =>
    Effect.gen(function*() {
      yield* logWith(
        { LOG_LEVEL: "error" },
        Effect.gen(function*() {
          yield* Effect.logInfo("quiet info")
          yield* Effect.logWarning("quiet warning")
          yield* Effect.logError("loud error")
        })
      )
      const text = written().join("\n")
      expect(text).not.toContain("quiet info")
      expect(text).not.toContain("quiet warning")
      expect(text).toContain("loud error")
    }))

  it.live("LOG_LEVEL=debug lets debug through", () =>
    Effect.gen(function*() {
      yield* logWith({ LOG_LEVEL: "debug" }, Effect.logDebug("visible debug"))
      expect(written().join("\n")).toContain("visible debug")
    }))

  it.live("the default level (info) hides debug", () =>
    Effect.gen(function*() {
      yield* logWith({}, Effect.logDebug("hidden debug").pipe(Effect.zipRight(Effect.logInfo("shown info"))))
      const text = written().join("\n")
      expect(text).not.toContain("hidden debug")
      expect(text).toContain("shown info")
    }))
})
