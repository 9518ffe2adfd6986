import { describe, expect, it } from "@effect/vitest"
import { Cause, ConfigError, Data, Effect, Exit, Logger, LogLevel } from "effect"
import { describeStartupFailure, reportFailure } from "./Startup.js"

class PoolFailed extends Data.TaggedError("PoolFailed")<{ readonly message: string; readonly cause?: unknown }> {}

describe("describeStartupFailure", () => {
  it("a ConfigError is an invalid setting naming the setting", () => {
    const text = describeStartupFailure(Cause.fail(ConfigError.InvalidData(["PORT"], "Expected a network port value but received \"abc\"")))
    expect(text).toMatch(/^invalid setting: /)
    expect(text).toContain("PORT")
    expect(text).toContain("received \"abc\"")
    expect(text).not.toMatch(/\n\s+at /)
  })

  it("a ConfigError is `NAME: what is wrong`, one part per bad setting, without ConfigError's own quoting", () => {
    const expected = "expected a duration such as \"2 seconds\" or \"500 millis\", got \"2\""
    expect(describeStartupFailure(Cause.fail(ConfigError.InvalidData(["DATABASE_CONNECT_TIMEOUT"], expected))))
      .toBe(`invalid setting: DATABASE_CONNECT_TIMEOUT: ${expected}`)
    const both = ConfigError.And(
      ConfigError.InvalidData(["PORT"], "bad port"),
      ConfigError.MissingData(["HOST"], "missing")
    )
    expect(describeStartupFailure(Cause.fail(both))).toBe("invalid setting: PORT: bad port; HOST: missing")
    expect(describeStartupFailure(Cause.fail(ConfigError.InvalidData([], "no path")))).toBe("invalid setting: no path")
  })

  it("a tagged error is its message, without a stack trace", () => {
    const text = describeStartupFailure(Cause.fail(new PoolFailed({ message: "the database schema is behind" })))
    expect(text).toBe("the database schema is behind")
  })

  it("an error with a cause adds the cause's message once", () => {
    expect(describeStartupFailure(Cause.fail(new PoolFailed({ message: "could not connect", cause: new Error("ECONNREFUSED 127.0.0.1:5432") }))))
      .toBe("could not connect: ECONNREFUSED 127.0.0.1:5432")
    expect(describeStartupFailure(Cause.fail(new Error("listen failed", { cause: new Error("EADDRINUSE") }))))
      .toBe("listen failed: EADDRINUSE")
    expect(describeStartupFailure(Cause.fail(new PoolFailed({ message: "start failed: EADDRINUSE", cause: new Error("EADDRINUSE") }))))
      .toBe("start failed: EADDRINUSE")
    expect(describeStartupFailure(Cause.fail(new PoolFailed({ message: "odd cause", cause: "not an Error" })))).toBe("odd cause")
  })

  it("a failure that is not an error object is its string form", () => {
    expect(describeStartupFailure(Cause.fail("plain reason"))).toBe("plain reason")
    expect(describeStartupFailure(Cause.fail(42))).toBe("42")
  })

  it("a defect is the pretty-printed cause", () => {
    const text = describeStartupFailure(Cause.die(new Error("boom in a layer")))
    expect(text).toContain("boom in a layer")
  })
})

describe("reportFailure", () => {
  const capture = () => {
    const logs: Array<{ level: LogLevel.LogLevel; message: string }> = []
    const logger = Logger.replace(
      Logger.defaultLogger,
      Logger.make(({ logLevel, message }) =>
        logs.push({ level: logLevel, message: Array.isArray(message) ? message.join(" ") : String(message) }))
    )
    return { logs, logger }
  }

  it.effect("logs the failure as fatal, once, and keeps the failure", () =>
    Effect.gen(function*() {
      const { logger, logs } = capture()
      const exit = yield* Effect.exit(reportFailure(new PoolFailed({ message: "cannot start" })).pipe(Effect.provide(logger)))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(logs).toEqual([{ level: LogLevel.Fatal, message: "cannot start" }])
    }))

  it.effect("logs nothing on success or on interruption", () =>
    Effect.gen(function*() {
      const { logger, logs } = capture()
      expect(yield* reportFailure(Effect.succeed(1)).pipe(Effect.provide(logger))).toBe(1)
      const exit = yield* Effect.exit(reportFailure(Effect.interrupt).pipe(Effect.provide(logger)))
      expect(Exit.isInterrupted(exit)).toBe(true)
      expect(logs).toEqual([])
    }))
})
