import { OpenApi } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Api } from "../Api.js"
import { documented } from "../ApiDocument.js"
import { WatchApi } from "./Api.js"

describe("Watch/Api", () => {
  const spec = documented({ secured: false })(OpenApi.fromApi(Api) as any) as any

  it("the group holds the reads by name and the stream", () => {
    expect(Object.keys(WatchApi.endpoints).sort()).toEqual(["application", "configuration", "watch"])
  })

  it("documents the stream as text/event-stream with its headers, parameters and refusals", () => {
    const watch = spec.paths["/api/v1/applications/{id}/watch"].get
    expect(Object.keys(watch.responses["200"].content)).toEqual(["text/event-stream"])
    expect(Object.keys(watch.responses["200"].headers).sort()).toEqual(["Cache-Control", "X-Accel-Buffering", "X-Instance-Id"])
    expect(watch.parameters.map((p: any) => `${p.in} ${p.name}`)).toEqual(["path id", "header last-event-id", "query after"])
    expect(Object.keys(watch.responses).sort()).toEqual(["200", "400", "404", "405", "503"])
    expect(watch.responses["503"].content["application/json"].schema.anyOf.map((s: any) => s.$ref))
      .toContain("#/components/schemas/TooManyWatchers")
  })

  it("documents blocking reads: wait, If-None-Match, 304 and 503 on every read that takes them", () => {
    for (
      const path of [
        "/api/v1/applications/{id}",
        "/api/v1/configurations/{id}",
        "/api/v1/applications/by-name/{name}",
        "/api/v1/applications/by-name/{name}/configurations/{configuration_name}"
      ]
    ) {
      const read = spec.paths[path].get
      expect(read.parameters.map((p: any) => p.name), path).toEqual(expect.arrayContaining(["wait", "If-None-Match"]))
      expect(read.parameters.find((p: any) => p.name === "wait").schema, path).toMatchObject({ minimum: 1, maximum: 60 })
      expect(Object.keys(read.responses), path).toEqual(expect.arrayContaining(["200", "304", "404", "503"]))
      expect(read.responses["200"].headers.ETag, path).toBeDefined()
      expect(read.summary, path).toMatch(/\w/)
    }
  })
})
