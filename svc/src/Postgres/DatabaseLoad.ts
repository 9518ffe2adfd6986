import * as Context from "effect/Context"

/**
 * How busy the database is, as a request that is about to wait for it needs to know: a slow
 * answer from a database that answers others is a queue to wait in, not an outage.
 */
export class DatabaseLoad extends Context.Tag("Postgres/DatabaseLoad")<DatabaseLoad, {
  /** Whether PostgreSQL answered the change feed's last reading of the change log lately. */
  readonly answering: () => boolean
  /** Requests waiting for a pooled connection now. */
  readonly waiting: () => number
  /** With this many waiting, the next request is answered busy at once. */
  readonly maxWaiting: number
  /** How long a request may wait while PostgreSQL answers: its statement timeout. */
  readonly patienceMs: number
}>() {}

/** Whether the pool's queue is full: a request arriving now is shed rather than join it. */
export const queueFull = (load: DatabaseLoad["Type"]) => load.waiting() >= load.maxWaiting

/** Requests that may wait per pooled connection before more are shed. */
export const waitingPerConnection = 4
