import { expect, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { ServiceTest } from "../../../test/ServiceTest.js"
import { call, servicePort, writer, withApp } from "../../../test/Watch.js"

const byName = (application: string, configuration?: string) =>
  `/api/v1/applications/by-name/${encodeURIComponent(application)}` +
  (configuration === undefined ? "" : `/configurations/${encodeURIComponent(configuration)}`)

const settle = Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 1_000)))

it.layer(ServiceTest())("reads by name", (it) => {
  it.effect("percent-encoded names (spaces, %2F, Unicode, 256 characters) answer exactly as the reads by id", () =>
    Effect.gen(function*() {
      const port = yield* servicePort
      const write = writer(port)
      const suffix = Math.random().toString(36).slice(2, 8)
      const names = [
        [`my app ${suffix}`, "production config"],
        [`team/billing/${suffix}`, "eu/west-1"],
        [`Zürich 🚀 конфиг ${suffix}`, "日本語 ✓"],
        [`100% + a&b?c#d ${suffix}`, "..%2F"],
        [`${"🚀".repeat(249)}${suffix}`, "x".repeat(256)]
      ] as const
      for (const [appName, configName] of names) {
        const app = yield* write.app(appName)
        const config = yield* write.create(app.id, configName, { name: configName })
        for (const [path, byId] of [
          [byName(appName), `/api/v1/applications/${app.id}`],
          [byName(appName, configName), `/api/v1/configurations/${config.id}`]
        ] as const) {
          const named = yield* call(port, "GET", path)
          const read = yield* call(port, "GET", byId)
          expect([named.status, named.text, named.headers.etag], path).toEqual([200, read.text, read.headers.etag])
          const unchanged = yield* call(port, "GET", path, undefined, { "if-none-match": named.headers.etag! })
          expect([unchanged.status, unchanged.text, unchanged.headers.etag], path).toEqual([304, "", named.headers.etag])
        }
      }
    }))

  it.effect("unknown names are 404 saying which; blank or over-long names are 400", () =>
    Effect.gen(function*() {
      const { app, port } = yield* withApp
      const noApp = yield* call(port, "GET", byName(`missing ${app.name}`, "x"))
      expect([noApp.status, noApp.json._tag]).toEqual([404, "ApplicationNameNotFound"])
      const noConfig = yield* call(port, "GET", byName(app.name, "missing"))
      expect([noConfig.status, noConfig.json._tag, noConfig.json.name]).toEqual([404, "ConfigurationNameNotFound", "missing"])
      for (const name of [" ", "x".repeat(257), "nul\u0000"]) {
        expect((yield* call(port, "GET", byName(name))).status, JSON.stringify(name)).toBe(400)
      }
    }))

  it.effect("wait: a change to what the name points at answers at once; renamed away it is 404", () =>
    Effect.gen(function*() {
      const { app, port, write } = yield* withApp
      const c = yield* write.create(app.id, "live", { v: 1 })
      const waiting = (path: string, etag: string) =>
        Effect.fork(call(port, "GET", `${path}?wait=60`, undefined, { "if-none-match": etag }))

      const updated = yield* waiting(byName(app.name, "live"), `"1"`)
      yield* settle
      const written = yield* write.update(c.id, "live", { v: 2 })
      const answer = yield* Fiber.join(updated)
      expect([answer.status, answer.json]).toEqual([200, written])

      const renamed = yield* waiting(byName(app.name, "live"), `"2"`)
      yield* settle
      yield* write.update(c.id, "moved", { v: 2 })
      const gone = yield* Fiber.join(renamed)
      expect([gone.status, gone.json._tag]).toEqual([404, "ConfigurationNameNotFound"])

      const application = yield* call(port, "GET", byName(app.name))
      const appRenamed = yield* waiting(byName(app.name), application.headers.etag!)
      yield* settle
      expect((yield* call(port, "PUT", `/api/v1/applications/${app.id}`, { name: `${app.name} 2` })).status).toBe(200)
      const appGone = yield* Fiber.join(appRenamed)
      expect([appGone.status, appGone.json._tag]).toEqual([404, "ApplicationNameNotFound"])
    }))
})
