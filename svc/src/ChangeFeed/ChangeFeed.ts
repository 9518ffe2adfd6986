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
  /**
   * A change its writer's tick announced, heard ahead of the log (which hands it on to `change`
   * too): it may come twice, or never, so it can only drop or wake, never count.
   */
  readonly hint?: ((key: string) => void) | undefined
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

/** SQLSTATE `undefined_table`. */
const undefinedTable = "42P01"

/** A tick's payload: the keys a writer committed, separated by spaces (keys hold none), at most this long. */
const maxTickChars = 7_000

/** The ticks for `keys`: their payloads, none over `maxTickChars`. */
export const ticksOf = (keys: ReadonlyArray<string>): Array<string> => {
  const ticks: Array<string> = []
  let current = ""
  for (const key of keys) {
    if (current.length > 0 && current.length + 1 + key.length > maxTickChars) {
      ticks.push(current)
      current = ""
    }
    current = current.length === 0 ? key : `${current} ${key}`
  }
  if (current.length > 0) ticks.push(current)
  return ticks
}

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
 * go out every `readEvery`, and at once when a tick arrives on `LISTEN` (the keys a writer sent after
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
  /**
   * This instance committed changes to `keys`: read the log now, and tick every instance with
   * them (a `NOTIFY` outside any write transaction; ticks coalesce while one is on its way).
   * Completes once the tick is sent (or could not be: the log still has the change), so a write
   * answered after it has been heard by every listening instance before its client hears back.
   */
  readonly announce: (keys: ReadonlyArray<string>) => Promise<void>
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
      /** Whether the log is not there yet (SQLSTATE 42P01) and has never been read: a database not migrated yet. */
      let noLogYet = false
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
            const code = (error as { code?: unknown })?.code
            if (typeof code === "string") answeredAt = performance.now()
            noLogYet = code === undefinedTable && readAt === -Infinity
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
        notification: (payload, channel) => {
          if (channel !== changesChannel) return
          for (const key of payload.split(" ")) for (const listener of listeners) listener.hint?.(key)
          read()
        },
        heartbeatMs
      })

      /** One tick in flight at a time; keys announced meanwhile go out together right after it. */
      let ticking = false
      let waiting: Array<string> = []
      let waitingDone: Array<() => void> = []
      const sendTicks = () => {
        if (ticking || waiting.length === 0) return
        ticking = true
        const [keys, done] = [waiting, waitingDone]
        waiting = []
        waitingDone = []
        Promise.all(ticksOf(keys).map((payload) => reader.query("SELECT pg_notify($1, $2)", [changesChannel, payload])))
          .catch(() => {})
          .finally(() => {
            ticking = false
            for (const resolve of done) resolve()
            sendTicks()
          })
      }
      const announce = (keys: ReadonlyArray<string>) => {
        read()
        if (keys.length === 0) return Promise.resolve()
        return new Promise<void>((resolve) => {
          waiting.push(...keys)
          waitingDone.push(resolve)
          sendTicks()
        })
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
        // A new database, which another instance may be migrating now: nothing is wrong yet.
        if (noLogYet) return Effect.logInfo("reads are not cached until the migrations have created the change log")
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
