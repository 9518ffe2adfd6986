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
  /** A committed change: one of the payloads of `ChangeKeys` (`parseChange` reads it). */
  readonly change: (key: string) => void
  /** The feed (re)connected or lost its connection: anything may have changed meanwhile. */
  readonly reset: () => void
}

/** How often a probe goes out, and how long its echo vouches for the feed. */
export const probeEvery = 250
export const trustFor = 750
/** PostgreSQL is answering while its last answer to a probe is younger than this. */
export const answeringFor = 1_000

/**
 * Committed changes to applications and configurations, heard with `LISTEN` on one dedicated
 * connection (re-established when lost). The feed proves itself continuously: a `NOTIFY` sent
 * through the pool must come back on that connection. PostgreSQL delivers notifications in
 * commit order, so the echo of a probe sent at `t` means every change committed before `t`
 * has been heard. `trusted` holds while the last echo is younger than `trustFor`: a change
 * acknowledged longer ago than that has been heard, whatever the deployment (a LISTEN through
 * a transaction pooler hears nothing, so it is never trusted).
 */
export class ChangeFeed extends Context.Tag("ChangeFeed/ChangeFeed")<ChangeFeed, {
  /**
   * A random name for this instance among those on the database: its probes carry it (an echo of
   * another instance's proves nothing here), and watch streams answer with it (`X-Instance-Id`).
   */
  readonly instanceId: string
  readonly trusted: () => boolean
  /** Whether PostgreSQL answered a probe lately (within `answeringFor`), however busy it is otherwise. */
  readonly answering: () => boolean
  /** `ok`, or why the feed is not trusted now (for `/health/ready`). */
  readonly health: () => string
  readonly subscribe: (listener: ChangeListener) => Effect.Effect<void, never, Scope.Scope>
}>() {}

const heartbeatMs = 1_000
/** Untrusted for this long, the feed says so in the log. */
const warnAfterMs = 2_000

const unheard = "a NOTIFY sent through DATABASE_URL did not come back on the LISTEN connection; " +
  "behind a transaction pooler, point DATABASE_LISTEN_URL at PostgreSQL itself"

/**
 * `LISTEN` on `listenUrl`, probed by `NOTIFY`s sent on a connection of its own to `probeUrl`
 * (the service's `DATABASE_URL`, where its writes go; not through the pool, whose queue would
 * delay probes under load); reads are not cached while the feed is not trusted.
 */
export const layerChangeFeed = (urls: { readonly listenUrl: Redacted.Redacted<string>; readonly probeUrl: Redacted.Redacted<string> }) =>
  Layer.scoped(
    ChangeFeed,
    Effect.gen(function*() {
      const listeners = new Set<ChangeListener>()
      const instanceId = randomBytes(6).toString("hex")
      const sentAt = new Map<number, number>()
      let sequence = 0
      let provenAt = -Infinity
      let answeredAt = -Infinity
      let reason = "the LISTEN connection is not up yet"
      let querying = false

      const reset = () => {
        provenAt = -Infinity
        sentAt.clear()
        for (const listener of listeners) listener.reset()
      }

      const heard = (payload: string) => {
        if (!payload.startsWith("probe:")) {
          for (const listener of listeners) listener.change(payload)
          return
        }
        const [, from, seq] = payload.split(":")
        if (from !== instanceId) return
        const sent = sentAt.get(Number(seq))
        if (sent === undefined) return
        for (const key of sentAt.keys()) if (key <= Number(seq)) sentAt.delete(key)
        // Through a transaction pooler a notification reaches this client only while it runs a
        // query of its own (holding a server connection that listens); one heard then proves nothing.
        if (querying) {
          reason = "notifications arrive only while the LISTEN connection runs a query: it goes through a pooler; " +
            "point DATABASE_LISTEN_URL at PostgreSQL itself"
          return
        }
        provenAt = Math.max(provenAt, sent)
        reason = unheard
      }

      const listener = reconnectingClient({
        url: urls.listenUrl,
        applicationName: "config-service-changes",
        ready: (client) => client.query(`LISTEN ${changesChannel}`),
        up: () => {
          reason = unheard
          reset()
        },
        down: () => {
          reason = "the LISTEN connection was lost; reconnecting"
          reset()
        },
        notification: (payload, channel) => channel === changesChannel && heard(payload),
        heartbeatMs,
        querying: (running) => (querying = running)
      })
      const prober = reconnectingClient({
        url: urls.probeUrl,
        applicationName: "config-service-probe",
        ready: () => Promise.resolve(),
        up: () => {},
        down: () => {},
        heartbeatMs
      })

      let probing = false
      const probe = () => {
        if (probing || !listener.up()) return
        probing = true
        const seq = ++sequence
        sentAt.set(seq, performance.now())
        // Echoes that never come (a LISTEN through a pooler) are forgotten.
        if (sentAt.size > 64) sentAt.delete(sentAt.keys().next().value!)
        prober.query("SELECT pg_notify($1, $2)", [changesChannel, `probe:${instanceId}:${seq}`])
          .then(() => (answeredAt = performance.now()), () => {})
          .finally(() => (probing = false))
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
      const probes = setInterval(() => {
        probe()
        Runtime.runFork(runtime, report)
      }, probeEvery)

      yield* Effect.addFinalizer(() =>
        Effect.promise(async () => {
          clearInterval(probes)
          await Promise.all([listener.end(), prober.end()])
        })
      )

      return {
        instanceId,
        trusted,
        answering: () => performance.now() - answeredAt < answeringFor,
        health: () => (trusted() ? "ok" : reason),
        subscribe: (listener: ChangeListener) =>
          Effect.acquireRelease(
            Effect.sync(() => listeners.add(listener)),
            () => Effect.sync(() => listeners.delete(listener))
          )
      }
    })
  )
