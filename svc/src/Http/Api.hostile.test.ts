import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { gzipSync } from "node:zlib"
import { answerTo, checkedSend, expectNoLeaks, expectSound, type Sent } from "../../test/Checked.js"
import { ServiceTest } from "../../test/ServiceTest.js"

/**
 * Hostile input by hand, over raw HTTP (node:http, so paths, bytes and headers go out exactly
 * as written). What other files already cover is not repeated here: NUL, lone surrogates,
 * 1e400 and 10k-deep nesting in config values (Configurations/Http.test.ts); 413, 415 and
 * malformed JSON (Edge/EveryRequest.test.ts, Edge/BodyCheck.test.ts).
 */

type Options = Omit<Sent, "method" | "path">

/** Sends exactly these bytes to the test server (with a content-length, so GET and DELETE bodies are framed too). */
const exchange = (method: string, path: string, options: Options = {}) => answerTo("socket", { method, path, ...options })

/** `exchange`, the answer held to the rules of every answer (test/Checked.ts). */
const send = (method: string, path: string, options: Options = {}) => checkedSend("socket", { method, path, ...options })

const json = (method: string, path: string, body: unknown, headers?: Record<string, string>) =>
  send(method, path, { body: JSON.stringify(body), ...(headers ? { headers } : {}) })

let counter = 0
const unique = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 8)}`

const createApp = (name = unique("app")) =>
  Effect.gen(function*() {
    const reply = yield* json("POST", "/api/v1/applications", { name })
    expect(reply.status, reply.label).toBe(201)
    return reply.json as { id: string; name: string; comments: string | null; version: number }
  })

const createCfg = (applicationId: string, name = unique("cfg"), config: unknown = { a: 1 }) =>
  Effect.gen(function*() {
    const reply = yield* json("POST", "/api/v1/configurations", { application_id: applicationId, name, config })
    expect(reply.status, reply.label).toBe(201)
    return reply.json as { id: string; name: string; config: unknown; version: number }
  })

const get = (path: string) =>
  Effect.gen(function*() {
    const reply = yield* send("GET", path)
    expect(reply.status, reply.label).toBe(200)
    return reply.json
  })

/**
 * Sends every case, then checks each answer that is not a 5xx; the caller compares the whole
 * table of statuses at once, so one failure shows every case.
 */
const statusTable = (
  cases: ReadonlyArray<readonly [label: string, method: string, path: string, options?: Options]>
) =>
  Effect.gen(function*() {
    const results: Array<[string, number, string]> = []
    for (const [label, method, path, options = {}] of cases) {
      const reply = yield* exchange(method, path, options)
      // a 5xx fails the caller's comparison of the table; it must not leak either
      if (reply.status < 500) expectSound(reply, { method, path, ...options })
      else expectNoLeaks(reply, { method, path, ...options })
      results.push([label, reply.status, reply.json?._tag ?? ""])
    }
    return results
  })

/** JSON with object keys sorted (own keys, `__proto__` included), since jsonb keeps its own key order. */
const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(",")}]`
    : typeof value === "object" && value !== null
    ? `{${
      Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
        .join(",")
    }}`
    : JSON.stringify(value)

const nest = (depth: number, open = "[", close = "]", inner = "") => open.repeat(depth) + inner + close.repeat(depth)
const deepArray = nest(10_000)
const deepObject = nest(10_000, "{\"a\":", "}", "1")

it.layer(ServiceTest())("hostile input over HTTP", (it) => {
  it.effect("NUL in every text field and every JSON key is 400, for both resources, on POST and PUT, and changes nothing", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const count = Effect.map(
        sql<{ apps: number; cfgs: number }>`
          SELECT (SELECT count(*)::int FROM applications) AS apps, (SELECT count(*)::int FROM configurations) AS cfgs`,
        (rows) => rows[0]
      )
      const app = yield* createApp()
      const cfg = yield* createCfg(app.id, unique("cfg"), { keep: true })
      const before = yield* count
      const appUrl = `/api/v1/applications/${app.id}`
      const cfgUrl = `/api/v1/configurations/${cfg.id}`
      const nulText: ReadonlyArray<readonly [string, string, unknown]> = [
        ["POST app name", "POST /api/v1/applications", { name: "a\u0000b" }],
        ["POST app name (only NUL)", "POST /api/v1/applications", { name: "\u0000" }],
        ["POST app comments", "POST /api/v1/applications", { name: unique("n"), comments: "c\u0000" }],
        ["PUT app name", `PUT ${appUrl}`, { name: "\u0000renamed" }],
        ["PUT app comments", `PUT ${appUrl}`, { name: app.name, comments: "trailing\u0000" }],
        ["PUT cfg name", `PUT ${cfgUrl}`, { name: "n\u0000", config: {} }],
        ["PUT cfg comments", `PUT ${cfgUrl}`, { name: cfg.name, comments: "\u0000", config: {} }],
        ["PUT cfg config value", `PUT ${cfgUrl}`, { name: cfg.name, config: { a: "x\u0000y" } }],
        ["PUT cfg config key", `PUT ${cfgUrl}`, { name: cfg.name, config: { "k\u0000": 1 } }],
        ["PUT cfg nested key", `PUT ${cfgUrl}`, { name: cfg.name, config: { a: [{ "\u0000": 1 }] } }],
        ["POST cfg nested key", "POST /api/v1/configurations", {
          application_id: app.id,
          name: unique("n"),
          config: { a: { b: { "c\u0000": 1 } } }
        }],
        ["POST cfg value in array", "POST /api/v1/configurations", {
          application_id: app.id,
          name: unique("n"),
          config: { list: [1, ["\u0000"]] }
        }]
      ]
      const nulKeys: ReadonlyArray<readonly [string, string, unknown]> = [
        ["POST app key", "POST /api/v1/applications", { "name\u0000": "x" }],
        ["POST app extra NUL key", "POST /api/v1/applications", { name: unique("n"), "\u0000": 1 }],
        ["PUT app key", `PUT ${appUrl}`, { name: app.name, "comments\u0000": "x" }],
        ["POST cfg key", "POST /api/v1/configurations", { application_id: app.id, name: unique("n"), "config\u0000": {} }],
        ["POST cfg application_id", "POST /api/v1/configurations", {
          application_id: `${app.id}\u0000`,
          name: unique("n"),
          config: {}
        }],
        ["PUT cfg key", `PUT ${cfgUrl}`, { name: cfg.name, config: {}, "\u0000name": "x" }],
        ["PUT cfg application_id", `PUT ${cfgUrl}`, { application_id: `\u0000${app.id}`, name: cfg.name, config: {} }]
      ]
      for (const [label, target, body] of [...nulText, ...nulKeys]) {
        const [method, path] = target.split(" ") as [string, string]
        const reply = yield* json(method, path, body)
        expect(reply.status, `${label}: ${reply.label}`).toBe(400)
        expect(reply.json._tag, label).toBe("HttpApiDecodeError")
        // a NUL in a value is named as such; a NUL in a key makes it an unknown field
        if (nulText.some(([textLabel]) => textLabel === label)) expect(reply.json.message, label).toMatch(/NUL/)
      }
      // a raw NUL byte inside a JSON string is not JSON at all
      const rawNul = yield* send("POST", "/api/v1/applications", { body: `{"name":"a\u0000b"}` })
      expect(rawNul.status, rawNul.label).toBe(400)
      expect(rawNul.json._tag).toBe("MalformedJson")

      expect(yield* get(appUrl)).toMatchObject({ name: app.name, comments: null, version: 1, configuration_ids: [cfg.id] })
      expect(yield* get(cfgUrl)).toMatchObject({ name: cfg.name, comments: null, config: { keep: true }, version: 1 })
      expect(yield* get(`${appUrl}/configurations`)).toHaveLength(1)
      expect(yield* count).toEqual(before)
    }))

  it.effect("lone surrogates in names and comments are 400 for both resources on POST and PUT; surrogate pairs are fine", () =>
    Effect.gen(function*() {
      const app = yield* createApp()
      const cfg = yield* createCfg(app.id)
      const appUrl = `/api/v1/applications/${app.id}`
      const cfgUrl = `/api/v1/configurations/${cfg.id}`
      const lone = ["\ud800", "a\udfffb", "end\udbff", "\udc00\ud800", "\ud83d"]
      for (const text of lone) {
        const cases: ReadonlyArray<readonly [string, string, unknown]> = [
          ["POST", "/api/v1/applications", { name: text }],
          ["POST", "/api/v1/applications", { name: unique("n"), comments: text }],
          ["PUT", appUrl, { name: text }],
          ["PUT", appUrl, { name: app.name, comments: text }],
          ["POST", "/api/v1/configurations", { application_id: app.id, name: text, config: {} }],
          ["POST", "/api/v1/configurations", { application_id: app.id, name: unique("n"), comments: text, config: {} }],
          ["PUT", cfgUrl, { name: text, config: {} }],
          ["PUT", cfgUrl, { name: cfg.name, comments: text, config: {} }],
          ["PUT", cfgUrl, { name: cfg.name, config: { [`key${text}`]: 1 } }],
          ["PUT", cfgUrl, { name: cfg.name, config: { nested: { deeper: [text] } } }],
          ["POST", "/api/v1/applications", { name: unique("n"), [text]: 1 }]
        ]
        for (const [method, path, body] of cases) {
          const reply = yield* json(method, path, body)
          expect(reply.status, reply.label).toBe(400)
          expect(reply.json._tag, reply.label).toBe("HttpApiDecodeError")
        }
        const named = yield* json("POST", "/api/v1/applications", { name: `x${text}` })
        expect(named.json.message, named.label).toMatch(/valid Unicode/)
      }
      expect(yield* get(appUrl)).toMatchObject({ name: app.name, version: 1 })
      expect(yield* get(cfgUrl)).toMatchObject({ name: cfg.name, config: { a: 1 }, version: 1 })
      const pair = yield* json("POST", "/api/v1/applications", { name: "\ud83d\ude00 pair", comments: "\udbff\udfff" })
      expect(pair.status, pair.label).toBe(201)
      expect(yield* get(`/api/v1/applications/${pair.json.id}`)).toMatchObject({ name: "😀 pair", comments: "\u{10ffff}" })
    }))

  it.effect("duplicate JSON keys: the last one wins (documented), everywhere in the body and in config", () =>
    Effect.gen(function*() {
      const first = unique("dup-first")
      const last = unique("dup-last")
      const created = yield* send("POST", "/api/v1/applications", { body: `{"name":"${first}","name":"${last}"}` })
      expect(created.status, created.label).toBe(201)
      expect(created.json.name).toBe(last)
      const app = yield* get(`/api/v1/applications/${created.json.id}`)
      expect(app.name).toBe(last)

      const typedLast = yield* send("POST", "/api/v1/applications", { body: `{"name":5,"name":"${unique("typed")}"}` })
      expect(typedLast.status, typedLast.label).toBe(201)
      const typedFirst = yield* send("POST", "/api/v1/applications", { body: `{"name":"${unique("typed")}","name":5}` })
      expect(typedFirst.status, typedFirst.label).toBe(400)

      const comments = yield* send("PUT", `/api/v1/applications/${app.id}`, {
        body: `{"name":"${last}","comments":"one","comments":null,"comments":"three"}`
      })
      expect(comments.status, comments.label).toBe(200)
      expect(comments.json.comments).toBe("three")

      const other = yield* createApp()
      const cfg = yield* send("POST", "/api/v1/configurations", {
        body: `{"application_id":"${other.id}","application_id":"${app.id}","name":"c","name":"cfg",` +
          `"config":{"dropped":true},"config":{"a":1,"a":2,"b":{"c":1,"c":[2]}}}`
      })
      expect(cfg.status, cfg.label).toBe(201)
      expect(cfg.json).toMatchObject({ application_id: app.id, name: "cfg", config: { a: 2, b: { c: [2] } } })
      expect((yield* get(`/api/v1/configurations/${cfg.json.id}`)).config).toEqual({ a: 2, b: { c: [2] } })
      const put = yield* send("PUT", `/api/v1/configurations/${cfg.json.id}`, {
        body: `{"name":"cfg","config":{"x":"first","x":"second"},"config":{"y":{"z":0,"z":"last"}}}`
      })
      expect(put.status, put.label).toBe(200)
      expect((yield* get(`/api/v1/configurations/${cfg.json.id}`)).config).toEqual({ y: { z: "last" } })
      expect((yield* get(`/api/v1/applications/${other.id}`)).configuration_ids).toEqual([])
    }))

  it.effect("SQL-looking application names, configuration names, config keys and values are stored and returned literally", () =>
    Effect.gen(function*() {
      const names = [
        "'; DROP TABLE applications; --",
        "Robert'); DROP TABLE configurations;--",
        "1' OR '1'='1",
        "1' OR '1'='2",
        "' OR 1=1 --",
        "\"; DELETE FROM applications WHERE \"\"=\"",
        "$1",
        "$$; DROP TABLE migrations; $$",
        "%",
        "_",
        "\\",
        "\\'; --",
        "admin'--",
        "'||pg_sleep(5)||'",
        "x'::jsonb",
        "E'\\x00'"
      ]
      const sql = yield* SqlClient.SqlClient
      const ids: Array<string> = []
      for (const name of names) {
        const app = yield* createApp(name)
        expect(app.name).toBe(name)
        ids.push(app.id)
        const [row] = yield* sql<{ name: string }>`SELECT name FROM applications WHERE id = ${app.id}`
        expect(row!.name).toBe(name)
      }
      // uniqueness is on the exact text: no LIKE, no case folding
      for (const name of ["'; DROP TABLE applications; --", "%", "_", "\\"]) {
        const again = yield* json("POST", "/api/v1/applications", { name })
        expect(again.status, again.label).toBe(409)
        expect(again.json).toMatchObject({ _tag: "ApplicationNameTaken", name })
      }
      const all = (yield* get("/api/v1/applications")) as Array<{ id: string; name: string }>
      for (const [index, id] of ids.entries()) expect(all.find((a) => a.id === id)?.name).toBe(names[index])

      const config = {
        "'; DROP TABLE configurations; --": "'); DELETE FROM applications; --",
        "a' || 'b": "x",
        "$1": "$2",
        "?": "?",
        "::jsonb": "::text",
        "a->>b": "c",
        "#>>{a}": null,
        "\\\"": "\\'",
        "%_": "%_",
        nested: { "' OR '1'='1": ["1; DROP TABLE applications", { "$$": "$$" }] }
      }
      const owner = ids[0]!
      for (const name of names.slice(0, 6)) {
        const cfg = yield* createCfg(owner, name, config)
        expect(cfg.name).toBe(name)
        const read = yield* get(`/api/v1/configurations/${cfg.id}`)
        expect(read).toMatchObject({ name, config })
        expect(read.config).toEqual(config)
      }
      const renamed = yield* json("PUT", `/api/v1/applications/${owner}`, {
        name: "x'); UPDATE applications SET name='pwned",
        comments: "--"
      })
      expect(renamed.status, renamed.label).toBe(200)
      expect(renamed.json).toMatchObject({ name: "x'); UPDATE applications SET name='pwned", comments: "--" })
      const listed = (yield* get(`/api/v1/applications/${owner}/configurations`)) as Array<{ name: string; config: unknown }>
      expect(listed.map((c) => c.name).sort()).toEqual(names.slice(0, 6).sort())
      for (const c of listed) expect(c.config).toEqual(config)
      // every table is still there and holds these rows
      const [apps] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM applications`
      const [cfgs] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM configurations WHERE application_id = ${owner}`
      const [ledger] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM migrations`
      expect(apps!.n).toBeGreaterThanOrEqual(names.length)
      expect(cfgs!.n).toBe(6)
      expect(ledger!.n).toBeGreaterThan(0)
    }))

  it.effect("a config key named __proto__ is stored as sent or refused — never silently dropped", () =>
    Effect.gen(function*() {
      const app = yield* createApp()
      const cases = [
        `{"__proto__":{"polluted":true},"b":2}`,
        `{"__proto__":5}`,
        `{"a":{"__proto__":{"x":1}}}`,
        `{"constructor":{"prototype":{"polluted":true}},"toString":"s","hasOwnProperty":1}`
      ]
      for (const config of cases) {
        const reply = yield* send("POST", "/api/v1/configurations", {
          body: `{"application_id":"${app.id}","name":"${unique("proto")}","config":${config}}`
        })
        const sent = JSON.parse(config)
        if (reply.status === 400) continue
        expect(reply.status, reply.label).toBe(201)
        const stored = (yield* get(`/api/v1/configurations/${reply.json.id}`)).config
        expect(Object.keys(stored).sort(), reply.label).toEqual(Object.keys(sent).sort())
        expect(canonical(stored), reply.label).toBe(canonical(sent))
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    }))

  it.effect("10,000-deep JSON in a field other than config values is 400, never 500", () =>
    Effect.gen(function*() {
      const app = yield* createApp()
      const cfg = yield* createCfg(app.id)
      const appUrl = `/api/v1/applications/${app.id}`
      const cfgUrl = `/api/v1/configurations/${cfg.id}`
      const post = (path: string, body: string) => ["POST", path, { body }] as const
      const postCfg = (body: string) => post("/api/v1/configurations", body)
      const put = (path: string, body: string) => ["PUT", path, { body }] as const
      const results = yield* statusTable([
        ["POST app: name is a deep array", ...post("/api/v1/applications", `{"name":${deepArray}}`)],
        ["POST app: name is a deep object", ...post("/api/v1/applications", `{"name":${deepObject}}`)],
        ["POST app: comments is a deep array", ...post("/api/v1/applications", `{"name":"deep-c","comments":${deepArray}}`)],
        ["POST app: an unknown field is deep", ...post("/api/v1/applications", `{"name":"deep-x","extra":${deepArray}}`)],
        ["POST app: the body is a deep array", ...post("/api/v1/applications", deepArray)],
        ["PUT app: name is a deep object", ...put(appUrl, `{"name":${deepObject}}`)],
        ["PUT app: comments is a deep object", ...put(appUrl, `{"name":"n","comments":${deepObject}}`)],
        ["POST cfg: application_id is deep", ...postCfg(`{"application_id":${deepArray},"name":"n","config":{}}`)],
        ["POST cfg: name is deep", ...postCfg(`{"application_id":"${app.id}","name":${deepArray},"config":{}}`)],
        ["POST cfg: config itself is a deep array", ...postCfg(`{"application_id":"${app.id}","name":"n","config":${deepArray}}`)],
        ["PUT cfg: comments is deep", ...put(cfgUrl, `{"name":"n","comments":${deepArray},"config":{}}`)],
        ["PUT cfg: config itself is a deep array", ...put(cfgUrl, `{"name":"n","config":${deepArray}}`)],
        ["PUT cfg: the body is a deep object", ...put(cfgUrl, deepObject)]
      ])
      expect(results.map(([label, status]) => [label, status])).toEqual(results.map(([label]) => [label, 400]))
      expect(yield* get(appUrl)).toMatchObject({ name: app.name, version: 1 })
      expect(yield* get(cfgUrl)).toMatchObject({ config: { a: 1 }, version: 1 })
    }))

  it.effect("numbers beyond a double (1e400) and huge integers in non-config fields are 400", () =>
    Effect.gen(function*() {
      const app = yield* createApp()
      const cfg = yield* createCfg(app.id)
      const cfgUrl = `/api/v1/configurations/${cfg.id}`
      const post = (path: string, body: string) => ["POST", path, { body }] as const
      const put = (path: string, body: string) => ["PUT", path, { body }] as const
      const results = yield* statusTable([
        ["app name 1e400", ...post("/api/v1/applications", `{"name":1e400}`)],
        ["app name -1e400", ...post("/api/v1/applications", `{"name":-1e400}`)],
        ["app name 30-digit integer", ...post("/api/v1/applications", `{"name":123456789012345678901234567890}`)],
        ["app comments 1e400", ...post("/api/v1/applications", `{"name":"n1","comments":1e400}`)],
        ["app body 1e400", ...post("/api/v1/applications", `1e400`)],
        ["app PUT name 1e400", ...put(`/api/v1/applications/${app.id}`, `{"name":1e400}`)],
        ["cfg application_id 1e400", ...post("/api/v1/configurations", `{"application_id":1e400,"name":"n","config":{}}`)],
        ["cfg config 1e400", ...post("/api/v1/configurations", `{"application_id":"${app.id}","name":"n","config":1e400}`)],
        ["cfg PUT comments 1e400", ...put(cfgUrl, `{"name":"n","comments":1e400,"config":{}}`)],
        ["cfg PUT application_id 1e-400", ...put(cfgUrl, `{"application_id":1e-400,"name":"n","config":{}}`)],
        ["limit=1e400", "GET", "/api/v1/applications?limit=1e400"],
        ["limit=9007199254740993", "GET", "/api/v1/applications?limit=9007199254740993"]
      ])
      expect(results.map(([label, status]) => [label, status])).toEqual(results.map(([label]) => [label, 400]))
    }))

  it.effect("config numbers at the edges of a double round-trip exactly as JSON.parse reads them", () =>
    Effect.gen(function*() {
      const app = yield* createApp()
      const text = `{"max":1.7976931348623157e308,"min":-1.7976931348623157e308,"tiny":5e-324,"tenth":0.1,` +
        `"unsafe":9007199254740993,"exp":1E+21,"negzero":-0,"frac":123.456e-7}`
      const reply = yield* send("POST", "/api/v1/configurations", {
        body: `{"application_id":"${app.id}","name":"numbers","config":${text}}`
      })
      expect(reply.status, reply.label).toBe(201)
      const stored = (yield* get(`/api/v1/configurations/${reply.json.id}`)).config
      expect(canonical(stored)).toBe(canonical(JSON.parse(text)))
    }))

  it.effect("ids in paths with SQL, percent-encoding and Unicode are 400 (or an unrouted 404), never a lookup", () =>
    Effect.gen(function*() {
      const app = yield* createApp()
      const cfg = yield* createCfg(app.id)
      const segments = [
        "'%20OR%20'1'='1",
        "%27%3B%20DROP%20TABLE%20applications%3B--",
        "1%20OR%201=1",
        `${app.id}'--`,
        `${app.id}%20`,
        `${app.id}%00`,
        "%00",
        "%ZZ",
        "%",
        "%C0%AF",
        "%ED%A0%80",
        "%F0%9F%9A%80",
        "%C3%84%C3%96%C3%9C",
        "%EF%BC%90%EF%BC%91",
        encodeURIComponent("０１ARZ3NDEKTSV4RRFFQ69G5FAV"),
        encodeURIComponent("01ARZ3NDEKTSV4RRFFQ69G5FAV\u202e"),
        "%2e%2e%2fhealth%2flive",
        "..%5Chealth",
        "$1",
        "*",
        "null"
      ]
      const paths = (segment: string) => [
        ["GET", `/api/v1/applications/${segment}`],
        ["PUT", `/api/v1/applications/${segment}`],
        ["DELETE", `/api/v1/applications/${segment}?cascade=true`],
        ["GET", `/api/v1/applications/${segment}/configurations`],
        ["GET", `/api/v1/configurations/${segment}`],
        ["PUT", `/api/v1/configurations/${segment}`],
        ["DELETE", `/api/v1/configurations/${segment}`]
      ] as const
      for (const segment of segments) {
        for (const [method, path] of paths(segment)) {
          const body = method === "PUT" ? JSON.stringify({ name: "x", config: {} }) : undefined
          const reply = yield* send(method, path, body === undefined ? {} : { body })
          expect([400, 404], reply.label).toContain(reply.status)
          expect(reply.json._tag, reply.label).toBe(reply.status === 400 ? "HttpApiDecodeError" : "RouteNotFound")
        }
      }
      // percent-encoded and lower-case forms of a real id are that id
      const encoded = [...app.id].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join("")
      expect((yield* get(`/api/v1/applications/${encoded}`)).id).toBe(app.id)
      expect((yield* get(`/api/v1/configurations/${cfg.id.toLowerCase()}`)).id).toBe(cfg.id)
      expect(yield* get(`/api/v1/applications/${app.id}`)).toMatchObject({ name: app.name, version: 1, configuration_ids: [cfg.id] })
    }))

  it.effect("a ';' in a path is part of the segment, not a separator: ids with ';' are 400 and reach nothing", () =>
    Effect.gen(function*() {
      const app = yield* createApp()
      const cfg = yield* createCfg(app.id)
      const results = yield* statusTable([
        ["GET app id;junk", "GET", `/api/v1/applications/${app.id};junk`],
        ["GET app id;/configurations", "GET", `/api/v1/applications/${app.id};/configurations`],
        ["GET applications/;x", "GET", "/api/v1/applications/;x"],
        ["GET cfg id;x", "GET", `/api/v1/configurations/${cfg.id};x`],
        ["PUT cfg id;x", "PUT", `/api/v1/configurations/${cfg.id};x`, { body: JSON.stringify({ name: "moved", config: {} }) }],
        ["DELETE cfg id;x", "DELETE", `/api/v1/configurations/${cfg.id};x`],
        ["DELETE app id;cascade=true", "DELETE", `/api/v1/applications/${app.id};cascade=true`]
      ])
      const refused = ([, status, tag]: [string, number, string]) =>
        (status === 400 && tag === "HttpApiDecodeError") || (status === 404 && tag === "RouteNotFound")
      expect(results.filter((result) => !refused(result)), "answered as if the path ended at ';'").toEqual([])
      expect(yield* get(`/api/v1/configurations/${cfg.id}`)).toMatchObject({ name: cfg.name, version: 1 })
      expect(yield* get(`/api/v1/applications/${app.id}`)).toMatchObject({ configuration_ids: [cfg.id] })
    }))

  it.effect("non-ASCII look-alikes whose upper case is a ULID (ß→SS, ſ→S, ﬀ→FF) are not ids: 400 in paths, bodies, after=", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const id = "01ARZ3NDEKTSSV4RRFFQ69G5FA"
      yield* sql`INSERT INTO applications (id, name) VALUES (${id}, ${unique("lookalike-target")})`
      expect((yield* get(`/api/v1/applications/${id.toLowerCase()}`)).id).toBe(id)
      const lookalikes = ["01ARZ3NDEKTßV4RRFFQ69G5FA", "01arz3ndektſsv4rrffq69g5fa", "01ARZ3NDEKTSSV4RRﬀQ69G5FA"]
      for (const lookalike of lookalikes) {
        expect(lookalike.toUpperCase()).toBe(id)
        const segment = encodeURIComponent(lookalike)
        const results = yield* statusTable([
          ["GET app", "GET", `/api/v1/applications/${segment}`],
          ["GET app configurations", "GET", `/api/v1/applications/${segment}/configurations`],
          ["POST cfg application_id", "POST", "/api/v1/configurations", {
            body: JSON.stringify({ application_id: lookalike, name: unique("c"), config: {} })
          }],
          ["GET list after=", "GET", `/api/v1/applications?after=${segment}`]
        ])
        expect(results.map(([label, status]) => [label, status]), lookalike).toEqual(results.map(([label]) => [label, 400]))
      }
    }))

  it.effect("query strings that might break something are 200 or 400 as they should be, never 5xx", () =>
    Effect.gen(function*() {
      const app = yield* createApp()
      yield* createCfg(app.id)
      const list = (query: string) => send("GET", `/api/v1/applications?${query}`)
      const expectations: ReadonlyArray<readonly [string, number]> = [
        ["limit=1e3", 400],
        ["limit=0x10", 400],
        ["limit=%2B3", 400],
        ["limit=%205", 400],
        ["limit=1000", 200],
        ["limit=1", 200],
        ["limit=1001", 400],
        ["limit=0", 400],
        ["limit=-1", 400],
        ["limit=1.5", 400],
        ["limit=Infinity", 400],
        ["limit=NaN", 400],
        ["limit=", 400],
        ["limit=1&limit=2", 400],
        ["limit=5%00", 400],
        ["limit=%ZZ", 400],
        ["after=", 400],
        ["after=%ED%A0%80", 400],
        [`after=${app.id}&after=${app.id}`, 400],
        [`after=${app.id.toLowerCase()}`, 200],
        ["after='%20OR%20'1'='1", 400],
        // Unknown query parameters are refused, as unknown body fields are.
        ["__proto__=x", 400],
        ["__proto__=x&__proto__=y", 400],
        ["__proto__[limit]=5", 400],
        ["constructor=x&toString=y&hasOwnProperty=z&valueOf=1", 400],
        ["limit[]=1", 400],
        ["=&&=&limit=1", 400],
        ["%ZZ=%ZZ", 400],
        [`junk=${"x".repeat(4000)}`, 400]
      ]
      for (const [query, status] of expectations) {
        const reply = yield* list(query)
        expect(reply.status, reply.label).toBe(status)
        if (status === 200) expect(Array.isArray(reply.json), reply.label).toBe(true)
      }
      const page = yield* list("limit=1000")
      expect(page.json.length).toBeGreaterThan(0)
      const deletes: ReadonlyArray<readonly [string, number]> = [
        ["cascade=TRUE", 400],
        ["cascade=True", 400],
        ["cascade=1", 400],
        ["cascade=yes", 400],
        ["cascade=", 400],
        ["cascade=true&cascade=true", 400],
        ["cascade=false&cascade=true", 400],
        ["cascade=false", 409],
        ["cascade[]=true", 400]
      ]
      for (const [query, status] of deletes) {
        const reply = yield* send("DELETE", `/api/v1/applications/${app.id}?${query}`)
        expect(reply.status, reply.label).toBe(status)
      }
      expect((yield* get(`/api/v1/applications/${app.id}`)).configuration_ids).toHaveLength(1)
      const done = yield* send("DELETE", `/api/v1/applications/${app.id}?cascade=%74rue`)
      expect(done.status, done.label).toBe(204)
    }))

  it.effect("a body that is not a JSON object is 400 at every body endpoint", () =>
    Effect.gen(function*() {
      const app = yield* createApp()
      const cfg = yield* createCfg(app.id)
      const endpoints = [
        ["POST", "/api/v1/applications"],
        ["PUT", `/api/v1/applications/${app.id}`],
        ["POST", "/api/v1/configurations"],
        ["PUT", `/api/v1/configurations/${cfg.id}`]
      ] as const
      for (const body of [`"string"`, `""`, `42`, `-0`, `[]`, `[{"name":"x"}]`, `null`, `true`, `{}`, `"{\\"name\\":\\"x\\"}"`]) {
        for (const [method, path] of endpoints) {
          const reply = yield* send(method, path, { body })
          expect(reply.status, reply.label).toBe(400)
          expect(reply.json._tag, reply.label).toBe("HttpApiDecodeError")
        }
      }
      expect(yield* get(`/api/v1/applications/${app.id}`)).toMatchObject({ name: app.name, version: 1 })
      expect(yield* get(`/api/v1/configurations/${cfg.id}`)).toMatchObject({ config: { a: 1 }, version: 1 })
    }))

  it.effect("a latin1 or UTF-16 body with non-UTF-8 bytes is refused whatever its charset says, and nothing is stored", () =>
    Effect.gen(function*() {
      const app = yield* createApp()
      const latin1 = Uint8Array.from(Buffer.from(`{"name":"caf\u00e9-latin1"}`, "latin1"))
      const utf16 = Uint8Array.from(Buffer.from(`{"name":"utf16"}`, "utf16le"))
      const cases = [
        ["POST", "/api/v1/applications", latin1, "application/json; charset=latin1"],
        ["POST", "/api/v1/applications", latin1, "application/json; charset=ISO-8859-1"],
        ["PUT", `/api/v1/applications/${app.id}`, latin1, "application/json; charset=latin1"],
        ["POST", "/api/v1/applications", utf16, "application/json; charset=utf-16"],
        [
          "POST",
          "/api/v1/configurations",
          Uint8Array.from(Buffer.from(`{"application_id":"${app.id}","name":"n","config":{"k":"\u00ff"}}`, "latin1")),
          "application/json; charset=latin1"
        ]
      ] as const
      const ids = Effect.map(get("/api/v1/applications"), (all) => (all as Array<{ id: string }>).map((a) => a.id))
      const before = yield* ids
      for (const [method, path, body, contentType] of cases) {
        const reply = yield* send(method, path, { body, headers: { "content-type": contentType } })
        expect([400, 415], reply.label).toContain(reply.status)
      }
      // Not by name: the random part of another test's application name may well contain "caf".
      expect(yield* ids).toEqual(before)
      expect((yield* get(`/api/v1/applications/${app.id}/configurations`)) as Array<unknown>).toEqual([])
      expect(yield* get(`/api/v1/applications/${app.id}`)).toMatchObject({ name: app.name, version: 1, configuration_ids: [] })
    }))

  it.effect("a content type that merely mentions application/json is not JSON: 415", () =>
    Effect.gen(function*() {
      for (const contentType of ["text/plain; x=application/json", "application/jsonx", "text/html; charset=\"application/json\""]) {
        const name = unique("sneaky")
        const reply = yield* send("POST", "/api/v1/applications", {
          body: JSON.stringify({ name }),
          headers: { "content-type": contentType }
        })
        expect(reply.status, `${contentType}: ${reply.label}`).toBe(415)
        const all = (yield* get("/api/v1/applications")) as Array<{ name: string }>
        expect(all.filter((a) => a.name === name), contentType).toEqual([])
      }
    }))

  it.effect("big but valid bodies just under the limit are stored whole: 20,000 keys, a 400 KB string, 1024 four-byte characters", () =>
    Effect.gen(function*() {
      const app = yield* createApp()
      const config: Record<string, unknown> = { long: "é".repeat(200_000) }
      for (let i = 0; i < 20_000; i++) config[`k${i}`] = i
      const body = JSON.stringify({ application_id: app.id, name: "big", comments: "🚀".repeat(1024), config })
      expect(Buffer.byteLength(body)).toBeLessThan(1024 * 1024)
      const created = yield* send("POST", "/api/v1/configurations", { body })
      expect(created.status, created.label.slice(0, 200)).toBe(201)
      const read = yield* get(`/api/v1/configurations/${created.json.id}`)
      expect(read.comments).toBe("🚀".repeat(1024))
      expect(read.config).toEqual(config)
    }))

  it.effect("a gzip-compressed body is not read as JSON: 4xx, nothing stored", () =>
    Effect.gen(function*() {
      const name = unique("gzip")
      const reply = yield* send("POST", "/api/v1/applications", {
        body: Uint8Array.from(gzipSync(JSON.stringify({ name }))),
        headers: { "content-encoding": "gzip" }
      })
      expect([400, 415], reply.label).toContain(reply.status)
      const all = (yield* get("/api/v1/applications")) as Array<{ name: string }>
      expect(all.filter((a) => a.name === name)).toEqual([])
    }))

  it.effect("very long URLs and ids are 4xx", () =>
    Effect.gen(function*() {
      for (const length of [27, 1_000, 10_000]) {
        for (const path of [`/api/v1/applications/${"A".repeat(length)}`, `/api/v1/configurations/${"7".repeat(length)}`]) {
          const reply = yield* send("GET", path)
          expect([400, 404], reply.label).toContain(reply.status)
        }
      }
      const huge = yield* send("GET", `/api/v1/applications/${"A".repeat(100_000)}`)
      expect(huge.status, huge.label).toBeGreaterThanOrEqual(400)
      // 2,000 unknown parameters: one 400 naming the one unknown name, a short answer.
      const longQuery = yield* send("GET", `/api/v1/applications?limit=1&${"a=b&".repeat(2_000)}`)
      expect(longQuery.status, longQuery.label).toBe(400)
      expect(longQuery.json.message, longQuery.label).toBe("a: unknown query parameter")
    }))

  it.effect("method-override headers and bodies on GET and DELETE change nothing", () =>
    Effect.gen(function*() {
      const app = yield* createApp()
      const cfg = yield* createCfg(app.id)
      for (const header of ["x-http-method-override", "x-http-method", "x-method-override"]) {
        const reply = yield* send("GET", `/api/v1/applications/${app.id}`, { headers: { [header]: "DELETE" } })
        expect(reply.status, reply.label).toBe(200)
        const put = yield* send("POST", `/api/v1/configurations/${cfg.id}`, {
          body: JSON.stringify({ name: "x", config: {} }),
          headers: { [header]: "PUT" }
        })
        expect(put.status, put.label).toBe(405)
      }
      const withBody = yield* send("DELETE", `/api/v1/applications/${app.id}`, { body: JSON.stringify({ cascade: true }) })
      expect(withBody.status, withBody.label).toBe(409)
      const getWithBody = yield* send("GET", `/api/v1/applications/${app.id}`, { body: "{not json" })
      expect(getWithBody.status, getWithBody.label).toBe(200)
      expect(yield* get(`/api/v1/applications/${app.id}`)).toMatchObject({ version: 1, configuration_ids: [cfg.id] })
      expect(yield* get(`/api/v1/configurations/${cfg.id}`)).toMatchObject({ name: cfg.name, version: 1 })
    }))

  it.effect("names are stored exactly as sent: no Unicode normalization, no trimming, invisible characters kept", () =>
    Effect.gen(function*() {
      const names = ["caf\u00e9", "cafe\u0301", "  padded  ", "\u202eevil", "a\u200bb", "👩‍👩‍👧", "Ⅻ", "ＡＢＣ"]
      const created: Array<{ id: string; name: string }> = []
      for (const name of names) created.push(yield* createApp(name))
      for (const [index, app] of created.entries()) {
        expect(app.name).toBe(names[index])
        expect((yield* get(`/api/v1/applications/${app.id}`)).name).toBe(names[index])
      }
      const cfg = yield* createCfg(created[0]!.id, "cafe\u0301", { "caf\u00e9": 1, "cafe\u0301": 2 })
      expect((yield* get(`/api/v1/configurations/${cfg.id}`)).config).toEqual({ "caf\u00e9": 1, "cafe\u0301": 2 })
      const nfc = yield* createCfg(created[0]!.id, "caf\u00e9")
      expect(nfc.name).toBe("caf\u00e9")
    }))

  it.effect("errors caused by the database (unique, foreign key, restrict) say what happened without SQL or connection details", () =>
    Effect.gen(function*() {
      const app = yield* createApp()
      const cfg = yield* createCfg(app.id, "c")
      const replies = [
        yield* json("POST", "/api/v1/applications", { name: app.name }),
        yield* json("PUT", `/api/v1/applications/${(yield* createApp()).id}`, { name: app.name }),
        yield* json("POST", "/api/v1/configurations", { application_id: "01ARZ3NDEKTSV4RRFFQ69G5FAV", name: "c", config: {} }),
        yield* json("POST", "/api/v1/configurations", { application_id: app.id, name: "c", config: {} }),
        yield* json("PUT", `/api/v1/configurations/${(yield* createCfg(app.id, "d")).id}`, { name: "c", config: {} }),
        yield* send("DELETE", `/api/v1/applications/${app.id}`),
        yield* json("PUT", `/api/v1/configurations/${cfg.id}`, { name: "c", config: {} }, { "if-match": "\"99\"" })
      ]
      expect(replies.map((r) => [r.status, r.json._tag])).toEqual([
        [409, "ApplicationNameTaken"],
        [409, "ApplicationNameTaken"],
        [400, "UnknownApplication"],
        [409, "ConfigurationNameTaken"],
        [409, "ConfigurationNameTaken"],
        [409, "ApplicationHasConfigurations"],
        [412, "PreconditionFailed"]
      ])
      for (const reply of replies) {
        expect(reply.text).not.toMatch(/constraint|relation|column|pg_|sqlstate|23505|23503|127\.0\.0\.1|localhost|password/i)
      }
    }))

  it.effect("If-Match compares entity tags as exact strings: \"01\" is not \"1\"", () =>
    Effect.gen(function*() {
      const app = yield* createApp()
      const cfg = yield* createCfg(app.id)
      for (const tag of ["\"01\"", "\"001\"", "\"1.0\"", "\" 1\""]) {
        const reply = yield* json("PUT", `/api/v1/configurations/${cfg.id}`, { name: cfg.name, config: { v: tag } }, {
          "if-match": tag
        })
        expect(reply.status, `${tag}: ${reply.label}`).toBe(412)
      }
      expect(yield* get(`/api/v1/configurations/${cfg.id}`)).toMatchObject({ version: 1, config: { a: 1 } })
    }))
})
