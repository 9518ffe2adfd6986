import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import pg from "pg"

export const changesChannel = "config_service_changes"

export interface ChangeListener {
  /** A committed change: `c:<id>`, `a:<id>` or `*` (see migration 0003). */
  readonly change: (key: string) => void
  /** The feed (re)connected or lost its connection: anything may have changed meanwhile. */
  readonly reset: () => void
}

/**
 * Committed changes to applications and configurations, heard with `LISTEN` on a dedicated
 * connection that is re-established when lost. While it is down, `connected` is false and
 * nothing may be trusted to be current.
 */
export class ChangeFeed extends Context.Tag("Database/ChangeFeed")<ChangeFeed, {
  readonly connected: () => boolean
  readonly subscribe: (listener: ChangeListener) => Effect.Effect<void, never, Scope.Scope>
}>() {}

const heartbeatMs = 2_000
const retryMs = { first: 100, max: 2_000 }

export const layerChangeFeed = (url: Redacted.Redacted<string>) =>
  Layer.scoped(
    ChangeFeed,
    Effect.gen(function*() {
      const listeners = new Set<ChangeListener>()
      let connected = false
      let stopped = false
      let client: pg.Client | undefined
      let timer: ReturnType<typeof setTimeout> | undefined
      let heartbeat: ReturnType<typeof setInterval> | undefined

      const reset = () => {
        for (const listener of listeners) listener.reset()
      }

      const lost = (current: pg.Client, retryIn: number) => {
        if (client !== current) return
        client = undefined
        connected = false
        clearInterval(heartbeat)
        current.removeAllListeners()
        current.on("error", () => {})
        current.end().catch(() => {})
        reset()
        if (!stopped) timer = setTimeout(() => connect(Math.min(retryIn * 2, retryMs.max)), retryIn)
      }

      const connect = (retryIn: number) => {
        const current = new pg.Client({
          connectionString: Redacted.value(url),
          keepAlive: true,
          connectionTimeoutMillis: 2_000,
          query_timeout: heartbeatMs,
          application_name: "config-service-changes"
        })
        client = current
        current.on("error", () => lost(current, retryIn))
        current.on("end", () => lost(current, retryIn))
        current.on("notification", (message) => {
          if (message.channel !== changesChannel || !message.payload) return
          for (const listener of listeners) listener.change(message.payload)
        })
        current.connect()
          .then(() => current.query(`LISTEN ${changesChannel}`))
          .then(() => {
            if (client !== current) return
            connected = true
            reset()
            heartbeat = setInterval(() => current.query("SELECT 1").catch(() => lost(current, retryMs.first)), heartbeatMs)
          })
          .catch(() => lost(current, retryIn))
      }

      connect(retryMs.first)
      yield* Effect.addFinalizer(() =>
        Effect.promise(async () => {
          stopped = true
          clearTimeout(timer)
          clearInterval(heartbeat)
          const current = client
          client = undefined
          connected = false
          current?.removeAllListeners()
          current?.on("error", () => {})
          await current?.end().catch(() => {})
        })
      )

      return {
        connected: () => connected,
        subscribe: (listener: ChangeListener) =>
          Effect.acquireRelease(
            Effect.sync(() => listeners.add(listener)),
            () => Effect.sync(() => listeners.delete(listener))
          )
      }
    })
  )
