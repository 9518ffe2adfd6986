import * as Cause from "effect/Cause"
import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

/** `NAME: what is wrong` for each bad setting, without the quoting and parentheses of `ConfigError`'s own text. */
const describeConfigError = (error: ConfigError.ConfigError): string => {
  switch (error._op) {
    case "And":
    case "Or":
      return `${describeConfigError(error.left)}; ${describeConfigError(error.right)}`
    default:
      return error.path.length > 0 ? `${error.path.join(".")}: ${error.message}` : error.message
  }
}

const describeFailure = (error: unknown): string => {
  if (ConfigError.isConfigError(error)) return `invalid setting: ${describeConfigError(error)}`
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") {
    const cause = (error as { cause?: unknown }).cause
    const detail = cause instanceof Error && cause.message && !error.message.includes(cause.message)
      ? `: ${cause.message}`
      : ""
    return `${error.message}${detail}`
  }
  return String(error)
}

/** One readable sentence for why the program stopped: the failure's message, or the defect's cause. */
export const describeStartupFailure = (cause: Cause.Cause<unknown>): string =>
  Option.match(Cause.failureOption(cause), {
    onSome: describeFailure,
    onNone: () => Cause.pretty(cause)
  })

/** Logs why the program stopped (no stack trace for expected failures) and fails with exit code 1. */
export const reportFailure = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.tapErrorCause(self, (cause) =>
    Cause.isInterruptedOnly(cause) ? Effect.void : Effect.logFatal(describeStartupFailure(cause)))
