import { expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { query } from "../../test/Process.js"
import { freshDatabase } from "../Testing/TestDatabase.js"
import { reconnectingClient } from "./ReconnectingClient.js"

const waitFor = (condition: () => boolean, ms = 10_000) =>
  Effect.promise(async () => {
    const deadline = Date.now() + ms
    while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    return condition()
  })

it.scoped("runs its ready step on every connection, says when it goes down, and comes back by itself", () =>
  Effect.gen(function*() {
    const url = yield* freshDatabase
    const events: Array<string> = []
    const client = reconnectingClient({
      url,
      applicationName: "config-service-reconnecting-test",
      ready: (c) => c.query("SELECT 1").then(() => events.push("ready")),
      up: () => events.push("up"),
      down: () => events.push("down"),
      heartbeatMs: 200
    })
    yield* Effect.addFinalizer(() => Effect.promise(() => client.end()))
    expect(yield* waitFor(client.up)).toBe(true)
    expect(yield* Effect.promise(() => client.query("SELECT 41 + 1 AS n"))).toMatchObject({ rows: [{ n: 42 }] })
    yield* query(
      Redacted.value(url),
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'config-service-reconnecting-test'"
    )
    expect(yield* waitFor(() => events.includes("down"))).toBe(true)
    expect(yield* waitFor(() => events.filter((e) => e === "up").length === 2)).toBe(true)
    expect(events).toEqual(["ready", "up", "down", "ready", "up"])
    yield* Effect.promise(() => client.end())
    expect(yield* Effect.flip(Effect.tryPromise(() => client.query("SELECT 1")))).toBeDefined()
  }), { timeout: 30_000 })
