import { expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { ensureBuilt, query, startService, waitReady } from "../../test/Process.js"
import { changeIds, eventually, openSse } from "../../test/Sse.js"
import { writer } from "../../test/Watch.js"
import { freshDatabase } from "../Testing/TestDatabase.js"

ensureBuilt()

const listeners = (url: string) =>
  query<{ pid: number }>(
    url,
    "SELECT pid FROM pg_stat_activity WHERE application_name = 'config-service-changes' AND datname = current_database()"
  ).pipe(Effect.map((rows) => rows.map((row) => row.pid)))

const sleep = (ms: number) => Effect.promise(() => new Promise((resolve) => setTimeout(resolve, ms)))

it.scopedLive("two instances on one database: a watcher on B gets every write made through A, also while B's LISTEN connection is cut", () =>
  Effect.gen(function*() {
    const url = Redacted.value(yield* freshDatabase)
    const b = yield* startService({ DATABASE_URL: url, LOG_LEVEL: "warning" })
    yield* waitReady(b)
    let ofB: Array<number> = []
    for (let i = 0; i < 100 && ofB.length === 0; i++) {
      ofB = yield* listeners(url)
      if (ofB.length === 0) yield* sleep(100)
    }
    const a = yield* startService({ DATABASE_URL: url, LOG_LEVEL: "warning" })
    yield* waitReady(a)
    let ofA: Array<number> = []
    for (let i = 0; i < 100 && ofA.length === 0; i++) {
      ofA = (yield* listeners(url)).filter((pid) => !ofB.includes(pid))
      if (ofA.length === 0) yield* sleep(100)
    }
    expect(ofA).toHaveLength(1)

    const write = writer(a.port)
    const app = yield* write.app()
    const stream = yield* openSse(b.port, `/api/v1/applications/${app.id}/watch`)
    const c = yield* write.create(app.id, "c", { n: 0 })
    expect(yield* eventually(() => changeIds(stream.events).includes(1))).toBe(true)

    // Eight times: once B listens again, cut its LISTEN connection and write through A while it is down.
    let n = 0
    for (let round = 0; round < 8; round++) {
      let ofBNow: Array<number> = []
      for (let i = 0; i < 100 && ofBNow.length === 0; i++) {
        ofBNow = (yield* listeners(url)).filter((pid) => pid !== ofA[0])
        if (ofBNow.length === 0) yield* sleep(100)
      }
      expect(ofBNow).toHaveLength(1)
      yield* query(url, "SELECT pg_terminate_backend($1)", ofBNow)
      for (let i = 0; i < 5; i++) yield* write.update(c.id, "c", { n: ++n })
    }
    expect(yield* eventually(() => changeIds(stream.events).at(-1) === 41, 30)).toBe(true)
    expect(changeIds(stream.events)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1))
    const configs = stream.events.filter((e) => e.event === "change").map((e) => JSON.parse(e.data).configuration.config.n)
    expect(configs).toEqual(Array.from({ length: 41 }, (_, i) => i))
    expect(stream.closed()).toBe(false)
    expect(b.output()).not.toMatch(/ERROR|FATAL/)
  }), 120_000)
