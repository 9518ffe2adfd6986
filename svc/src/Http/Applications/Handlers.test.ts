import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { exchange } from "../../../test/Requests.js"
import { ServiceTest } from "../../../test/ServiceTest.js"
import { makeClient } from "../Client.js"
import type { ApplicationId } from "../../Domain/Ids.js"

const missing = "01ARZ3NDEKTSV4RRFFQ69G5FAV" as ApplicationId

it.layer(ServiceTest())("applications over HTTP", (it) => {
  it.effect("POST creates with 201, Location and an empty configuration_ids", () =>
    Effect.gen(function*() {
      const client = yield* makeClient()
      const [created, response] = yield* client.applications.create({
        payload: { name: "billing", comments: "invoices" },
        withResponse: true
      })
      expect(response.status).toBe(201)
      expect(response.headers.location).toBe(`/api/v1/applications/${created.id}`)
      expect(created).toMatchObject({ name: "billing", comments: "invoices", configuration_ids: [], version: 1 })
      expect(created.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/)
      const fetched = yield* client.applications.get({ path: { id: created.id }, urlParams: {} })
      expect(fetched).toEqual(created)
    }))

  it.effect("omitted comments are null; a duplicate name is 409 and changes nothing", () =>
    Effect.gen(function*() {
      const client = yield* makeClient()
      const created = yield* client.applications.create({ payload: { name: "no-comments" } })
      expect(created.comments).toBeNull()
      const error = yield* Effect.flip(client.applications.create({ payload: { name: "no-comments", comments: "x" } }))
      expect(error._tag).toBe("ApplicationNameTaken")
      const all = yield* client.applications.list({ urlParams: {} })
      expect(all.filter((a) => a.name === "no-comments")).toHaveLength(1)
    }))

  it.effect("GET: 404 for an unknown id, 400 for a non-ULID, lower-case ids find the canonical one", () =>
    Effect.gen(function*() {
      const client = yield* makeClient()
      const error = yield* Effect.flip(client.applications.get({ path: { id: missing }, urlParams: {} }))
      expect(error._tag).toBe("ApplicationNotFound")
      const created = yield* client.applications.create({ payload: { name: "case" } })
      const response = yield* exchange("GET", `/api/v1/applications/${created.id.toLowerCase()}`)
      expect(response.status).toBe(200)
      expect(response.json.id).toBe(created.id)
      const bad = yield* exchange("GET", "/api/v1/applications/not-a-ulid")
      expect(bad.status).toBe(400)
      expect(bad.json).toMatchObject({ _tag: "HttpApiDecodeError" })
    }))

  it.effect("GET includes configuration_ids ordered by id", () =>
    Effect.gen(function*() {
      const client = yield* makeClient()
      const app = yield* client.applications.create({ payload: { name: "with-configs" } })
      const ids = []
      for (const name of ["c", "a", "b"]) {
        const configuration = yield* client.configurations.create({
          payload: { application_id: app.id, name, config: { name } }
        })
        ids.push(configuration.id)
      }
      const fetched = yield* client.applications.get({ path: { id: app.id }, urlParams: {} })
      expect(fetched.configuration_ids).toEqual([...ids].sort())
      const listed = yield* client.applications.configurations({ path: { id: app.id } })
      expect(listed.map((c) => c.id)).toEqual([...ids].sort())
      expect(listed.map((c) => c.config)).toEqual(listed.map((c) => ({ name: c.name })))
    }))

  it.effect("GET /applications/{id}/configurations: [] for none, 404 for an unknown application", () =>
    Effect.gen(function*() {
      const client = yield* makeClient()
      const app = yield* client.applications.create({ payload: { name: "empty" } })
      expect(yield* client.applications.configurations({ path: { id: app.id } })).toEqual([])
      const error = yield* Effect.flip(client.applications.configurations({ path: { id: missing } }))
      expect(error._tag).toBe("ApplicationNotFound")
    }))

  it.effect("PUT replaces name and comments, bumps version; omitted comments become null", () =>
    Effect.gen(function*() {
      const client = yield* makeClient()
      const app = yield* client.applications.create({ payload: { name: "rename-me", comments: "old" } })
      const updated = yield* client.applications.update({ path: { id: app.id }, payload: { name: "renamed" } })
      expect(updated).toMatchObject({ id: app.id, name: "renamed", comments: null, version: 2 })
      expect(updated.created_at).toEqual(app.created_at)
      expect(updated.updated_at.epochMillis).toBeGreaterThanOrEqual(app.updated_at.epochMillis)
      const again = yield* client.applications.update({
        path: { id: app.id },
        payload: { name: "renamed", comments: "new" }
      })
      expect(again).toMatchObject({ comments: "new", version: 3 })
    }))

  it.effect("PUT: 404 for an unknown id, 409 when renaming onto another name", () =>
    Effect.gen(function*() {
      const client = yield* makeClient()
      const missingError = yield* Effect.flip(
        client.applications.update({ path: { id: missing }, payload: { name: "ghost" } })
      )
      expect(missingError._tag).toBe("ApplicationNotFound")
      yield* client.applications.create({ payload: { name: "taken" } })
      const other = yield* client.applications.create({ payload: { name: "other" } })
      const conflict = yield* Effect.flip(
        client.applications.update({ path: { id: other.id }, payload: { name: "taken" } })
      )
      expect(conflict._tag).toBe("ApplicationNameTaken")
      expect((yield* client.applications.get({ path: { id: other.id }, urlParams: {} })).name).toBe("other")
    }))

  it.effect("DELETE: 204, then 404; 409 while configurations remain unless ?cascade=true", () =>
    Effect.gen(function*() {
      const client = yield* makeClient()
      const lone = yield* client.applications.create({ payload: { name: "lone" } })
      const [, deleted] = yield* client.applications.delete({
        path: { id: lone.id },
        urlParams: {},
        withResponse: true
      })
      expect(deleted.status).toBe(204)
      const gone = yield* Effect.flip(client.applications.get({ path: { id: lone.id }, urlParams: {} }))
      expect(gone._tag).toBe("ApplicationNotFound")
      const again = yield* Effect.flip(client.applications.delete({ path: { id: lone.id }, urlParams: {} }))
      expect(again._tag).toBe("ApplicationNotFound")

      const parent = yield* client.applications.create({ payload: { name: "parent" } })
      const child = yield* client.configurations.create({
        payload: { application_id: parent.id, name: "child", config: {} }
      })
      const refused = yield* Effect.flip(client.applications.delete({ path: { id: parent.id }, urlParams: {} }))
      expect(refused._tag).toBe("ApplicationHasConfigurations")
      expect((yield* client.configurations.get({ path: { id: child.id }, urlParams: {} })).id).toBe(child.id)
      yield* client.applications.delete({ path: { id: parent.id }, urlParams: { cascade: true } })
      expect((yield* Effect.flip(client.configurations.get({ path: { id: child.id }, urlParams: {} })))._tag).toBe(
        "ConfigurationNotFound"
      )
      const badFlag = yield* exchange("DELETE", `/api/v1/applications/${parent.id}?cascade=yes`)
      expect(badFlag.status).toBe(400)
    }))
})

it.layer(ServiceTest())("GET /applications: ordering and keyset paging", (it) => {
  it.effect("lists all by id; pages with limit/after and a Link header while more remain", () =>
    Effect.gen(function*() {
      const client = yield* makeClient()
      const created = []
      for (let i = 0; i < 5; i++) created.push(yield* client.applications.create({ payload: { name: `app-${i}` } }))
      const ids = created.map((a) => a.id).sort()

      const all = yield* client.applications.list({ urlParams: {} })
      expect(all.map((a) => a.id)).toEqual(ids)

      const [first, firstResponse] = yield* client.applications.list({ urlParams: { limit: 2 }, withResponse: true })
      expect(first.map((a) => a.id)).toEqual(ids.slice(0, 2))
      expect(firstResponse.headers.link).toBe(`</api/v1/applications?limit=2&after=${ids[1]}>; rel="next"`)

      const [second, secondResponse] = yield* client.applications.list({
        urlParams: { limit: 2, after: ids[1] as ApplicationId },
        withResponse: true
      })
      expect(second.map((a) => a.id)).toEqual(ids.slice(2, 4))
      expect(secondResponse.headers.link).toContain(`after=${ids[3]}`)

      const [last, lastResponse] = yield* client.applications.list({
        urlParams: { limit: 2, after: ids[3] as ApplicationId },
        withResponse: true
      })
      expect(last.map((a) => a.id)).toEqual(ids.slice(4))
      expect(lastResponse.headers.link).toBeUndefined()

      const [exact, exactResponse] = yield* client.applications.list({ urlParams: { limit: 5 }, withResponse: true })
      expect(exact).toHaveLength(5)
      expect(exactResponse.headers.link).toBeUndefined()

      const afterOnly = yield* client.applications.list({ urlParams: { after: ids[2] as ApplicationId } })
      expect(afterOnly.map((a) => a.id)).toEqual(ids.slice(3))
    }))

  it.effect("limit outside 1..1000, a non-integer limit or a non-ULID after is 400", () =>
    Effect.gen(function*() {
      for (const query of ["limit=0", "limit=1001", "limit=1.5", "limit=abc", "after=nope"]) {
        const response = yield* exchange("GET", `/api/v1/applications?${query}`)
        expect(response.status, query).toBe(400)
        expect(response.json).toMatchObject({ _tag: "HttpApiDecodeError" })
      }
    }))

  it.effect("a 400's message is one line per problem, naming the field in the user's words", () =>
    Effect.gen(function*() {
      const apps = "/api/v1/applications"
      const cases: ReadonlyArray<readonly ["GET" | "POST" | "DELETE", string, string | undefined, string]> = [
        ["POST", apps, `{"name":42}`, "name: must be a string of 1 to 256 characters that is not blank"],
        ["POST", apps, `{"name":"ok","comment":"typo"}`, "comment: unknown field"],
        [
          "POST",
          apps,
          `{"comments":7}`,
          "name: is required; comments: must be a string of at most 1024 characters, or null"
        ],
        ["POST", apps, `["billing"]`, "body: must be a JSON object"],
        ["GET", `${apps}/xyz`, undefined, "id: must be a ULID (26 characters, Crockford base32), got \"xyz\""],
        ["GET", `${apps}?limit=abc`, undefined, "limit: must be an integer from 1 to 1000, got \"abc\""],
        ["DELETE", `${apps}/${missing}?cascade=yes`, undefined, "cascade: must be true or false, got \"yes\""]
      ]
      for (const [method, url, body, message] of cases) {
        const reply = yield* exchange(method, url, body === undefined ? {} : { body })
        expect(reply.status, url).toBe(400)
        expect(reply.json).toMatchObject({ _tag: "HttpApiDecodeError", message })
        expect(Array.isArray(reply.json.issues)).toBe(true)
      }
    }))

  it.effect("limit is plain decimal digits: hex, exponents, signs and spaces are 400, leading zeros are fine", () =>
    Effect.gen(function*() {
      for (const limit of ["0x10", "1e2", "%2B3", "%205", "5%20", "1.0", "-0"]) {
        const reply = yield* exchange("GET", `/api/v1/applications?limit=${limit}`)
        expect(reply.status, limit).toBe(400)
        expect(reply.json.message, limit).toMatch(/^limit: must be an integer from 1 to 1000, got "/)
      }
      const client = yield* makeClient()
      for (const name of ["digits-a", "digits-b", "digits-c"]) yield* client.applications.create({ payload: { name } })
      const padded = yield* exchange("GET", "/api/v1/applications?limit=0002")
      expect(padded.status).toBe(200)
      expect(padded.json).toHaveLength(2)
    }))
})
