import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Runtime from "effect/Runtime"
import type * as Scope from "effect/Scope"
import { randomBytes } from "node:crypto"
import { changesChannel } from "./ChangeKeys.js"
import { reconnectingClient } from "../Postgres/ReconnectingClient.js"

export interface ChangeListener {
  /** A committed change: one of the keys of `ChangeKeys` (`parseChange` reads it). */
  readonly change: (key: string) => void
  /** Anything may have changed: the feed starts, or could not read the log for a long while. */
  readonly reset: () => void
}

/** How often the change log is read when no tick asks sooner, and how long a reading vouches for the feed. */
export const readEvery = 250
export const trustFor = 750
/** PostgreSQL is answering while its last answer to a reading of the log is younger than this. */
export const answeringFor = 1_000
/** A feed that could not read the log for this long starts afresh (a reset) rather than catching up. */
export const catchUpWithin = 60_000
/** How often an instance removes log rows older than `keepLogFor` (every this many readings). */
const pruneEvery = 240
const keepLogFor = "10 minutes"

/** What a writer sends after committing, outside any write transaction, so every instance reads the log now. */
export const tick = "tick"

/**
 * The log's rows committed after the snapshot `$1` and visible in this statement's own snapshot,
 * with that snapshot: each row is read once, whatever order the transactions took their ids in.
 * Revisions come in revision order (each snapshot holds a prefix of an application's revisions,
 * so readings hand them on in commit order), the rest in transaction and insertion order. With no
 * snapshot yet, only the snapshot.
 */
const readLog = `
  SELECT pg_current_snapshot()::text AS snapshot,
         CASE WHEN $1::pg_snapshot IS NULL THEN '{}'::text[] ELSE ARRAY(
           SELECT key FROM change_log
           WHERE xid >= pg_snapshot_xmin($1::pg_snapshot) AND NOT pg_visible_in_snapshot(xid, $1::pg_snapshot)
           ORDER BY revision NULLS FIRST, xid, n) END AS keys`

const pruneLog = `DELETE FROM change_log WHERE at < clock_timestamp() - interval '${keepLogFor}'`

/**
 * Committed changes to applications, configurations and schemas, read from the `change_log`
 * table (migration 0006) that every write transaction adds its keys to. Each reading takes a
 * snapshot and returns the keys committed since the previous one, so none is missed or read
 * twice; a reading sent at `t` proves every change committed before `t` has been heard. Readings
 * go out every `readEvery`, and at once when a `tick` arrives on `LISTEN` (sent by a writer after
 * its commit, through `announce`) or this instance writes. `trusted` holds while the last reading
 * is younger than `trustFor`: a change acknowledged longer ago than that has been heard, whether
 * ticks arrive or not (a writer killed after its commit, a lost `LISTEN` connection, a
 * transaction pooler in front, where `LISTEN` hears nothing).
 */
export class ChangeFeed extends Context.Tag("ChangeFeed/ChangeFeed")<ChangeFeed, {
  /** A random name for this instance among those on the database: watch streams answer with it (`X-Instance-Id`). */
  readonly instanceId: string
  readonly trusted: () => boolean
  /** Whether PostgreSQL answered a reading of the log lately (within `answeringFor`), however busy it is otherwise. */
  readonly answering: () => boolean
  /** `ok`, or why the feed is not trusted now (for `/health/ready`). */
  readonly health: () => string
  readonly subscribe: (listener: ChangeListener) => Effect.Effect<void, never, Scope.Scope>
  /** This instance committed a change: read the log now, and tick every instance (coalesced, after the commit). */
  readonly announce: () => void
}>() {}

const heartbeatMs = 1_000
/** Untrusted for this long, the feed says so in the log. */
const warnAfterMs = 2_000

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

/**
 * Reads the log on a connection of its own to `readUrl` (the service's `DATABASE_URL`, where its
 * writes go; not through the pool, whose queue would delay readings under load), and listens for
 * ticks on `listenUrl`; reads are not cached while the feed is not trusted.
 */
export const layerChangeFeed = (urls: { readonly listenUrl: Redacted.Redacted<string>; readonly readUrl: Redacted.Redacted<string> }) =>
  Layer.scoped(
    ChangeFeed,
    Effect.gen(function*() {
      const listeners = new Set<ChangeListener>()
      const instanceId = randomBytes(6).toString("hex")
      let snapshot: string | null = null
      let provenAt = -Infinity
      /** When the last reading that succeeded was sent (`provenAt` also forgets it when the connection drops). */
      let readAt = -Infinity
      let answeredAt = -Infinity
      let reason = "the change log has not been read yet"
      let readings = 0

      const reset = () => {
        for (const listener of listeners) listener.reset()
      }

      const reader = reconnectingClient({
        url: urls.readUrl,
        applicationName: "config-service-changes",
        ready: () => Promise.resolve(),
        up: () => read(),
        down: () => {
          provenAt = -Infinity
          reason = "the connection reading the change log was lost; reconnecting"
        },
        heartbeatMs
      })

      /** One reading at a time; asked again meanwhile, one more right after it. */
      let reading = false
      let readAgain = false
      const read = () => {
        if (reading) {
          readAgain = true
          return
        }
        if (!reader.up()) return
        reading = true
        readAgain = false
        const sentAt = performance.now()
        reader.query(readLog, [snapshot])
          .then(({ rows: [row] }: { rows: Array<{ snapshot: string; keys: Array<string> }> }) => {
            answeredAt = performance.now()
            if (snapshot === null || sentAt - readAt > catchUpWithin) reset()
            else for (const key of row!.keys) for (const listener of listeners) listener.change(key)
            snapshot = row!.snapshot
            provenAt = sentAt
            readAt = sentAt
            reason = "the change log was not read lately"
            if (++readings % pruneEvery === 0) reader.query(pruneLog).catch(() => {})
          }, (error) => {
            // An error PostgreSQL sent (it has a SQLSTATE) is an answer: the database answers.
            if (typeof (error as { code?: unknown })?.code === "string") answeredAt = performance.now()
            reason = `the change log cannot be read: ${reasonOf(error)}`
          })
          .finally(() => {
            reading = false
            if (readAgain) read()
          })
      }

      const listener = reconnectingClient({
        url: urls.listenUrl,
        applicationName: "config-service-ticks",
        ready: (client) => client.query(`LISTEN ${changesChannel}`),
        up: () => {},
        down: () => {},
        notification: (payload, channel) => channel === changesChannel && payload === tick && read(),
        heartbeatMs
      })

      /** One tick in flight at a time; announced meanwhile, one more right after it. */
      let ticking = false
      let tickAgain = false
      const sendTick = () => {
        if (ticking) {
          tickAgain = true
          return
        }
        ticking = true
        tickAgain = false
        reader.query("SELECT pg_notify($1, $2)", [changesChannel, tick])
          .catch(() => {})
          .finally(() => {
            ticking = false
            if (tickAgain) sendTick()
          })
      }
      const announce = () => {
        read()
        sendTick()
      }

      const trusted = () => performance.now() - provenAt < trustFor

      let untrustedSince = performance.now()
      let warned = false
      /** Says so once when the feed stays untrusted past `warnAfterMs`, and once when it is trusted again. */
      const report = Effect.suspend(() => {
        if (trusted()) {
          untrustedSince = performance.now()
          if (!warned) return Effect.void
          warned = false
          return Effect.logInfo("change feed trusted again: reads are cached")
        }
        if (warned || performance.now() - untrustedSince < warnAfterMs) return Effect.void
        warned = true
        return Effect.logWarning(`reads are not cached: the change feed cannot prove it hears every change (${reason})`)
      })

      // Wall-clock timers, like the connections' own: the feed keeps time whatever clock its layer was built with.
      const runtime = yield* Effect.runtime<never>()
      const timer = setInterval(() => {
        read()
        Runtime.runFork(runtime, report)
      }, readEvery)

      yield* Effect.addFinalizer(() =>
        Effect.promise(async () => {
          clearInterval(timer)
          await Promise.all([listener.end(), reader.end()])
        })
      )

      return {
        instanceId,
        trusted,
        answering: () => performance.now() - answeredAt < answeringFor,
        health: () => (trusted() ? "ok" : reason),
        announce,
        subscribe: (listener: ChangeListener) =>
          Effect.acquireRelease(
            Effect.sync(() => listeners.add(listener)),
            () => Effect.sync(() => listeners.delete(listener))
          )
      }
    })
  )
