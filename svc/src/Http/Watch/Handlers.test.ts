import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { changeIds, eventually, openSse } from "../../../test/Sse.js"
import { ServiceTest } from "../../../test/ServiceTest.js"
import { call, servicePort, writer, withApp } from "../../../test/Watch.js"
import { WatchTuning } from "../../Watch/Tuning.js"

type Json = any

it.layer(ServiceTest())("GET /applications/{id}/watch", (it) => {
  it.scoped("a snapshot first, then each change with its configuration as GET answers it", () =>
    Effect.gen(function*() {
      const { app, port, write } = yield* withApp
      const first = yield* write.create(app.id, "first", { a: 1 })
      const stream = yield* openSse(port, `/api/v1/applications/${app.id}/watch`)
      expect(stream.status).toBe(200)
      expect(stream.headers["content-type"]).toMatch(/^text\/event-stream/)
      expect(stream.headers["x-accel-buffering"]).toBe("no")
      expect(yield* eventually(() => stream.events.length >= 1)).toBe(true)
      const [snapshot] = stream.events
      expect(snapshot).toMatchObject({ event: "snapshot", id: "1" })
      const data = JSON.parse(snapshot!.data)
      expect(data.revision).toBe(1)
      expect(data.application).toEqual((yield* call(port, "GET", `/api/v1/applications/${app.id}`)).json)
      expect(data.configurations).toEqual([first])

      const updated = yield* write.update(first.id, "first", { a: 2 })
      const second = yield* write.create(app.id, "second")
      yield* write.remove(first.id)
      expect(yield* eventually(() => changeIds(stream.events).length >= 3)).toBe(true)
      const changes = stream.events.filter((e) => e.event === "change").map((e) => JSON.parse(e.data))
      expect(changes.map((c: Json) => [c.revision, c.op])).toEqual([[2, "update"], [3, "create"], [4, "delete"]])
      expect(changes[0].configuration).toEqual(updated)
      expect(changes[1].configuration).toEqual(second)
      expect(changes[2].configuration).toBeUndefined()
      const listed = (yield* call(port, "GET", `/api/v1/configurations/${second.id}`)).json
      expect(changes[1].configuration).toEqual(listed)
    }))

  it.scoped("Last-Event-ID and ?after replay every change after it, in order, then go live", () =>
    Effect.gen(function*() {
      const { app, port, write } = yield* withApp
      const c = yield* write.create(app.id, "c")
      for (let i = 1; i <= 4; i++) yield* write.update(c.id, "c", { i })
      const byHeader = yield* openSse(port, `/api/v1/applications/${app.id}/watch`, { "last-event-id": "2" })
      const byQuery = yield* openSse(port, `/api/v1/applications/${app.id}/watch?after=3`)
      expect(yield* eventually(() => changeIds(byHeader.events).length >= 3 && changeIds(byQuery.events).length >= 2))
        .toBe(true)
      yield* write.update(c.id, "c", { i: 5 })
      expect(yield* eventually(() => changeIds(byHeader.events).length >= 4 && changeIds(byQuery.events).length >= 3))
        .toBe(true)
      expect(changeIds(byHeader.events)).toEqual([3, 4, 5, 6])
      expect(changeIds(byQuery.events)).toEqual([4, 5, 6])
      expect(byHeader.events.some((e) => e.event === "snapshot")).toBe(false)
    }))

  it.scoped("an unknown application is 404; a bad Last-Event-ID or after is 400", () =>
    Effect.gen(function*() {
      const port = yield* servicePort
      const missing = yield* call(port, "GET", "/api/v1/applications/01ARZ3NDEKTSV4RRFFQ69G5FAV/watch")
      expect(missing.status).toBe(404)
      expect(missing.json._tag).toBe("ApplicationNotFound")
      const app = yield* writer(port).app()
      for (const [path, headers] of [
        [`/api/v1/applications/${app.id}/watch?after=-1`, {}],
        [`/api/v1/applications/${app.id}/watch?after=1e3`, {}],
        [`/api/v1/applications/${app.id}/watch?since=1`, {}],
        [`/api/v1/applications/${app.id}/watch`, { "last-event-id": "x" }]
      ] as const) {
        const reply = yield* call(port, "GET", path, undefined, headers)
        expect(reply.status, path).toBe(400)
      }
    }))
})

it.layer(ServiceTest().pipe(Layer.provide(Layer.succeed(WatchTuning, { ...WatchTuning.defaultValue(), heartbeatMs: 1_000 }))))(
  "watch streams with a 1 s heartbeat",
  (it) => {
    it.scoped("an idle stream sends a comment line every heartbeat", () =>
      Effect.gen(function*() {
        const { app, port } = yield* withApp
        const stream = yield* openSse(port, `/api/v1/applications/${app.id}/watch`)
        expect(yield* eventually(() => stream.comments.length >= 3, 10)).toBe(true)
        expect(stream.comments.map((c) => c.data).slice(0, 3)).toEqual([`watching application ${app.id}`, "keep-alive", "keep-alive"])
        expect(stream.events.map((e) => e.event)).toEqual(["snapshot"])
        expect(stream.closed()).toBe(false)
      }))

    it.scoped("a stream after a revision the application never had: reset, then a snapshot", () =>
      Effect.gen(function*() {
        const { app, port, write } = yield* withApp
        yield* write.create(app.id, "c")
        const stream = yield* openSse(port, `/api/v1/applications/${app.id}/watch`, { "last-event-id": "5" })
        expect(yield* eventually(() => stream.events.length >= 2)).toBe(true)
        expect(stream.events.slice(0, 2).map((e) => [e.event, e.id])).toEqual([["reset", undefined], ["snapshot", "1"]])
        expect(JSON.parse(stream.events[0]!.data).message).toMatch(/no such revision/)
      }))

    it.scoped("deleting the application ends its streams with event: deleted", () =>
      Effect.gen(function*() {
        const { app, port, write } = yield* withApp
        yield* write.create(app.id, "c")
        const stream = yield* openSse(port, `/api/v1/applications/${app.id}/watch?after=0`)
        expect(yield* eventually(() => changeIds(stream.events).length === 1)).toBe(true)
        expect((yield* call(port, "DELETE", `/api/v1/applications/${app.id}?cascade=true`)).status).toBe(204)
        expect(yield* eventually(() => stream.closed())).toBe(true)
        expect(stream.events.map((e) => e.event)).toEqual(["change", "deleted"])
        expect(JSON.parse(stream.events.find((e) => e.event === "deleted")!.data).id).toBe(app.id)
      }))
  }
)

it.layer(ServiceTest({ HISTORY_KEEP_VERSIONS: "1" }))("watch streams with HISTORY_KEEP_VERSIONS=1", (it) => {
  it.scoped("resuming after a revision retention removed: reset with the earliest kept, then a snapshot, then live", () =>
    Effect.gen(function*() {
      const { app, port, write } = yield* withApp
      const c = yield* write.create(app.id, "c", { v: 1 })
      yield* write.update(c.id, "c", { v: 2 })
      yield* write.update(c.id, "c", { v: 3 })
      const pruned = yield* openSse(port, `/api/v1/applications/${app.id}/watch`, { "last-event-id": "1" })
      const kept = yield* openSse(port, `/api/v1/applications/${app.id}/watch?after=2`)
      expect(yield* eventually(() => pruned.events.length >= 2 && kept.events.length >= 1)).toBe(true)
      expect(pruned.events.slice(0, 2).map((e) => [e.event, e.id])).toEqual([["reset", undefined], ["snapshot", "3"]])
      expect(JSON.parse(pruned.events[0]!.data).earliest_revision).toBe(3)
      expect(JSON.parse(pruned.events[1]!.data).configurations[0].config).toEqual({ v: 3 })
      expect(kept.events.map((e) => [e.event, e.id])).toEqual([["change", "3"]])
      yield* write.update(c.id, "c", { v: 4 })
      expect(yield* eventually(() => changeIds(pruned.events).length === 1 && changeIds(kept.events).length === 2))
        .toBe(true)
      expect(changeIds(pruned.events)).toEqual([4])
    }))
})
