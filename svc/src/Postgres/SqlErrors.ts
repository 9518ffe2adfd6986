import type { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import { DatabaseUnavailable, UnstorableText } from "../Domain/Errors.js"

/** The PostgreSQL SQLSTATE (or Node socket code) behind a failed statement. */
export const sqlState = (error: SqlError): string | undefined => {
  const cause = error.cause as { code?: unknown } | undefined
  return typeof cause?.code === "string" ? cause.code : undefined
}

const unavailableStates = /^(08|53|57|58)/
const unavailableSocketCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"])
const unavailableMessages = /timeout|terminated|Connection ended|not queryable|ended unexpectedly|Connection error|acquire connection/i

/** Whether the statement failed because the database could not be reached or stopped serving. */
export const isUnavailable = (error: SqlError): boolean => {
  const state = sqlState(error)
  if (state !== undefined) return unavailableStates.test(state) || unavailableSocketCodes.has(state)
  const cause = error.cause as { message?: unknown } | undefined
  return unavailableMessages.test(`${error.message} ${typeof cause?.message === "string" ? cause.message : ""}`)
}

/** Whether the statement never got a pooled connection: every one stayed busy for the whole connect timeout. */
export const isPoolTimeout = (error: SqlError): boolean => {
  const cause = error.cause as { message?: unknown } | undefined
  return typeof cause?.message === "string" && cause.message.includes("timeout exceeded when trying to connect")
}

/** Domain errors for SQLSTATEs, e.g. `{ [uniqueViolation]: () => NameTaken.of(name) }`. */
export type SqlErrorHandlers<E> = { readonly [state: string]: () => E }

/**
 * Turns a `SqlError` into the domain error its SQLSTATE stands for. Unreachable database →
 * `DatabaseUnavailable`; NUL or invalid text → `UnstorableText`; anything else is a defect.
 */
export const mapSqlError = <E = never>(handlers: SqlErrorHandlers<E> = {}) =>
(error: SqlError): Effect.Effect<never, E | UnstorableText | DatabaseUnavailable> => {
  const state = sqlState(error)
  const handler = state === undefined ? undefined : handlers[state]
  if (handler) return Effect.fail(handler())
  if (state === "22P05" || state === "22021") return Effect.fail(UnstorableText.instance)
  if (isUnavailable(error)) return Effect.fail(DatabaseUnavailable.instance)
  return Effect.die(error)
}

export const uniqueViolation = "23505"
export const foreignKeyViolation = "23503"
