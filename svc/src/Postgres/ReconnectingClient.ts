import * as Redacted from "effect/Redacted"
import pg from "pg"

const retryMs = { first: 100, max: 2_000 }

export interface ReconnectingOptions {
  readonly url: Redacted.Redacted<string>
  readonly applicationName: string
  /** Runs on every new connection before it counts as up (e.g. `LISTEN`). */
  readonly ready: (client: pg.Client) => Promise<unknown>
  /** The connection is up (again): anything may have changed while it was down. */
  readonly up: () => void
  /** The connection went down; a new one is on its way. */
  readonly down: () => void
  readonly notification?: (payload: string, channel: string) => void
  /** A query run this often to notice a connection that stopped answering. */
  readonly heartbeatMs: number
}

/**
 * One dedicated connection, outside the pool, that is re-established (with backoff) when it
 * is lost or stops answering its heartbeat.
 */
export const reconnectingClient = (options: ReconnectingOptions) => {
  let stopped = false
  let client: pg.Client | undefined
  let up = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let heartbeat: ReturnType<typeof setInterval> | undefined

  const lost = (current: pg.Client, retryIn: number) => {
    if (client !== current) return
    client = undefined
    clearInterval(heartbeat)
    current.removeAllListeners()
    current.on("error", () => {})
    current.end().catch(() => {})
    if (up) options.down()
    up = false
    if (!stopped) timer = setTimeout(() => connect(Math.min(retryIn * 2, retryMs.max)), retryIn)
  }

  const connect = (retryIn: number) => {
    const current = new pg.Client({
      connectionString: Redacted.value(options.url),
      keepAlive: true,
      connectionTimeoutMillis: 2_000,
      query_timeout: 2_000,
      application_name: options.applicationName
    })
    client = current
    current.on("error", () => lost(current, retryIn))
    current.on("end", () => lost(current, retryIn))
    current.on("notification", (message) => {
      if (message.payload) options.notification?.(message.payload, message.channel)
    })
    current.connect()
      .then(() => options.ready(current))
      .then(() => {
        if (client !== current) return
        up = true
        options.up()
        heartbeat = setInterval(() => {
          current.query("SELECT 1").catch(() => lost(current, retryMs.first))
        }, options.heartbeatMs)
      })
      .catch(() => lost(current, retryIn))
  }

  connect(retryMs.first)

  return {
    /** Runs a statement on the connection while it is up; fails otherwise. */
    query: (text: string, values?: Array<unknown>) =>
      client !== undefined && up ? client.query(text, values) : Promise.reject(new Error("not connected")),
    up: () => up,
    end: async () => {
      stopped = true
      clearTimeout(timer)
      clearInterval(heartbeat)
      const current = client
      client = undefined
      current?.removeAllListeners()
      current?.on("error", () => {})
      await current?.end().catch(() => {})
    }
  }
}
