import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc, Runtime } from "effect"
import { ServiceTest } from "../../test/ServiceTest.js"
import { eventually, openSse, type SseEvent, type SseStream } from "../../test/Sse.js"
import { servicePort, writer } from "../../test/Watch.js"

/**
 * Generated interleavings of writes (one at a time and in concurrent bursts), hang-ups (also
 * before the first event arrived, and while writes are in flight) and reconnects with
 * Last-Event-ID: whatever the order, the events a client collects across its connections are
 * exactly the application's changes after its first snapshot, in order, none missing, none twice.
 */

type Command =
  | { readonly _tag: "write"; readonly slot: number; readonly remove: boolean }
  | { readonly _tag: "burst"; readonly size: number }
  | { readonly _tag: "hangUp" }
  | { readonly _tag: "reconnect" }
  | { readonly _tag: "hangUpDuringBurst"; readonly size: number }

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ _tag: fc.constant("write" as const), slot: fc.nat(3), remove: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("burst" as const), size: fc.integer({ min: 2, max: 8 }) }) },
  { weight: 2, arbitrary: fc.constant({ _tag: "hangUp" as const }) },
  { weight: 3, arbitrary: fc.constant({ _tag: "reconnect" as const }) },
  {
    weight: 2,
    arbitrary: fc.record({ _tag: fc.constant("hangUpDuringBurst" as const), size: fc.integer({ min: 2, max: 8 }) })
  }
)

type Json = any

it.layer(ServiceTest())("a client across reconnects (generated interleavings)", (it) => {
  it.scoped("collects exactly the application's changes, in order, no gap, no duplicate", () =>
    Effect.gen(function*() {
      const port = yield* servicePort
      const sql = yield* SqlClient.SqlClient
      const write = writer(port)
      const runtime = yield* Effect.runtime<SqlClient.SqlClient>()

      const run = (commands: ReadonlyArray<Command>) =>
        Effect.gen(function*() {
          const app = yield* write.app()
          const slots = new Map<number, string>()
          let fresh = 0
          const received: Array<SseEvent> = []
          let stream: SseStream | undefined
          const lastId = () => [...received, ...(stream?.events ?? [])].filter((e) => e.id !== undefined).at(-1)?.id
          const hangUp = Effect.sync(() => {
            if (stream === undefined) return
            stream.close()
            received.push(...stream.events)
            stream = undefined
          })
          const connect = Effect.gen(function*() {
            yield* hangUp
            const id = lastId()
            stream = yield* openSse(port, `/api/v1/applications/${app.id}/watch`, id === undefined ? {} : { "last-event-id": id })
            expect(stream.status).toBe(200)
          })
          const writeSlot = (slot: number, remove: boolean) => {
            const id = slots.get(slot)
            if (id === undefined) return Effect.map(write.create(app.id, `slot-${slot}`, { slot }), (c) => void slots.set(slot, c.id))
            if (remove) return Effect.map(write.remove(id), () => void slots.delete(slot))
            return Effect.asVoid(write.update(id, `slot-${slot}`, { slot, at: fresh++ }))
          }
          const burst = (size: number) =>
            Effect.all(Array.from({ length: size }, () => write.create(app.id, `burst-${fresh++}`, { fresh })), {
              concurrency: "unbounded"
            })

          yield* connect
          for (const step of commands) {
            if (step._tag === "write") yield* writeSlot(step.slot, step.remove)
            else if (step._tag === "burst") yield* burst(step.size)
            else if (step._tag === "hangUp") yield* hangUp
            else if (step._tag === "reconnect") yield* connect
            else yield* Effect.all([burst(step.size), Effect.zipRight(hangUp, connect)], { concurrency: "unbounded" })
          }
          if (stream === undefined) yield* connect

          const rows = yield* sql<{ revision: number; configuration_id: string; op: string; version: number; config: Json }>`
            SELECT revision::int AS revision, configuration_id, op, version, config
            FROM configuration_versions WHERE application_id = ${app.id} ORDER BY revision`
          const final = rows.at(-1)?.revision ?? 0
          expect(yield* eventually(() => Number(lastId() ?? -1) === final, 30)).toBe(true)
          yield* hangUp

          const events = received.filter((e) => e.event !== "comment")
          expect(events.filter((e) => e.event !== "change" && e.event !== "snapshot")).toEqual([])
          const base = Number(events.filter((e) => e.event === "snapshot").at(-1)!.id)
          const changes = events.filter((e) => e.event === "change" && Number(e.id) > base).map((e) => JSON.parse(e.data))
          // Before the last snapshot there can only be snapshots (a hang-up before anything else arrived).
          const lastSnapshot = events.map((e) => e.event).lastIndexOf("snapshot")
          expect(events.slice(0, lastSnapshot).filter((e) => e.event !== "snapshot")).toEqual([])
          expect(changes.map((c: Json) => c.revision)).toEqual(rows.filter((r) => r.revision > base).map((r) => r.revision))
          for (const change of changes) {
            const row = rows.find((r) => r.revision === change.revision)!
            expect([change.configuration_id, change.op, change.version]).toEqual([row.configuration_id, row.op, row.version])
            expect(change.configuration?.config).toEqual(row.op === "delete" ? undefined : row.config)
          }
        })

      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), (commands) =>
            Runtime.runPromise(runtime)(Effect.scoped(run(commands)))),
          { numRuns: 60, endOnFailure: true }
        )
      )
    }), { timeout: 180_000 })
})
