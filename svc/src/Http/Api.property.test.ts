import { SqlClient } from "@effect/sql"
import { afterAll, expect, it } from "@effect/vitest"
import { Arbitrary, Effect, Either, FastCheck as fc, Runtime, Schema } from "effect"
import { makeDocumentChecker } from "../../test/ApiDocument.js"
import { checkedSend, type Reply } from "../../test/Checked.js"
import { exchange } from "../../test/Requests.js"
import { ServiceTest } from "../../test/ServiceTest.js"
import { PageParams } from "./Applications/Api.js"
import { ApplicationInput } from "../Domain/Application.js"
import { ConfigurationCreate, ConfigurationUpdate } from "../Domain/Configuration.js"

/**
 * Property-based tests over HTTP: thousands of generated valid and invalid bodies, ids,
 * query strings and headers at every endpoint. Every response must be 2xx, 304 or 4xx (never
 * 5xx), every error JSON with a string `_tag` and `message`; a model of what the 2xx
 * responses said is kept and, at the end, compared with what the API and the database hold.
 *
 * Requests within a property are sequential (the model predicts each status), except
 * batches of requests that must not change anything, which are sent concurrently. So the
 * acknowledged configuration writes come in commit order: the model keeps each
 * configuration's whole history and each application's revisions from them.
 * `endOnFailure` keeps the first counterexample: shrinking would replay against a changed database.
 */

// ---------------------------------------------------------------------------------------
// The model: what the 2xx responses said
// ---------------------------------------------------------------------------------------

interface AppRow {
  readonly id: string
  name: string
  comments: string | null
  version: number
}

interface CfgRow {
  readonly id: string
  readonly application_id: string
  name: string
  comments: string | null
  config: unknown
  version: number
}

const apps = new Map<string, AppRow>()
const cfgs = new Map<string, CfgRow>()

interface VersionRow {
  readonly op: "create" | "update" | "delete" | "restore"
  readonly name: string
  readonly comments: string | null
  readonly config: unknown
}

/** Every configuration that was ever acknowledged, deleted ones too, until its application goes. */
const histories = new Map<string, { readonly application_id: string; readonly versions: Array<VersionRow> }>()
/** Each application's acknowledged configuration writes: revision n is the n-th. */
const revisions = new Map<string, Array<{ readonly configuration_id: string; readonly version: number }>>()

/** An acknowledged write that left configuration `row` (or, for a delete, its last state) as its next version. */
const recordWrite = (op: VersionRow["op"], row: CfgRow) => {
  const history = histories.get(row.id) ?? { application_id: row.application_id, versions: [] }
  histories.set(row.id, history)
  history.versions.push({ op, name: row.name, comments: row.comments, config: row.config })
  expect(history.versions.length, `version of ${op} ${row.id}`).toBe(op === "delete" ? row.version + 1 : row.version)
  const written = revisions.get(row.application_id) ?? []
  revisions.set(row.application_id, written)
  written.push({ configuration_id: row.id, version: history.versions.length })
}

const recordDelete = (id: string) => {
  recordWrite("delete", cfgs.get(id)!)
  cfgs.delete(id)
}

/** A deleted application takes the history of its configurations with it. */
const recordApplicationDelete = (id: string) => {
  for (const [cfgId, history] of histories) if (history.application_id === id) histories.delete(cfgId)
  revisions.delete(id)
  apps.delete(id)
}

const sortedIds = (ids: Iterable<string>) => [...ids].sort()
const appIds = () => sortedIds(apps.keys())
const cfgIds = () => sortedIds(cfgs.keys())
const configurationIdsOf = (applicationId: string) =>
  sortedIds([...cfgs.values()].filter((c) => c.application_id === applicationId).map((c) => c.id))

const expectedApp = (row: AppRow) => ({
  id: row.id,
  name: row.name,
  comments: row.comments,
  configuration_ids: configurationIdsOf(row.id),
  version: row.version
})

const expectedCfg = (row: CfgRow) => ({
  id: row.id,
  application_id: row.application_id,
  name: row.name,
  comments: row.comments,
  config: row.config,
  version: row.version
})

type Json = any

const appView = (body: Json) => ({
  id: body.id,
  name: body.name,
  comments: body.comments,
  configuration_ids: body.configuration_ids,
  version: body.version
})

const cfgView = (body: Json) => ({
  id: body.id,
  application_id: body.application_id,
  name: body.name,
  comments: body.comments,
  config: body.config,
  version: body.version
})

const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/
const canonicalUlid = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/

// ---------------------------------------------------------------------------------------
// Sending requests
// ---------------------------------------------------------------------------------------

let requests = 0
const statuses = new Map<number, number>()

type Body =
  | { readonly text: string }
  | { readonly bytes: Uint8Array }

interface Send {
  readonly method: "GET" | "POST" | "PUT" | "DELETE"
  readonly url: string
  readonly body?: Body
  /** Defaults to application/json when there is a body; `null` sends none. */
  readonly contentType?: string | null
  readonly headers?: Readonly<Record<string, string>>
}

/** The served API document's checker, loaded by the first request. */
let documentChecker: ReturnType<typeof makeDocumentChecker> | undefined

const loadDocument = Effect.gen(function*() {
  if (documentChecker === undefined) documentChecker = makeDocumentChecker((yield* exchange("GET", "/api/v1/openapi.json")).json)
  return documentChecker
}).pipe(Effect.orDie)

/**
 * Sends one request and checks what every response must satisfy (test/Checked.ts, strictly:
 * 2xx, 304 or 4xx, never 5xx, never a dropped connection, `nosniff`, errors as JSON with
 * `_tag` and `message`, no stack trace and no SQL) and that it is in the API document.
 */
const send = (request: Send) =>
  Effect.gen(function*() {
    const document = yield* loadDocument
    requests++
    const body = request.body === undefined ? {} : { body: "text" in request.body ? request.body.text : request.body.bytes }
    const reply = yield* checkedSend("client", {
      method: request.method,
      path: request.url,
      ...body,
      ...(request.contentType === undefined ? {} : { contentType: request.contentType }),
      ...(request.headers === undefined ? {} : { headers: request.headers })
    }, { strict: true, document })
    statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1)
    return reply
  })

/** Runs a fast-check property whose body is an Effect, against the test's services. */
const property = <T, R>(
  numRuns: number,
  arbitrary: fc.Arbitrary<T>,
  body: (value: T) => Effect.Effect<void, never, R>
) =>
  Effect.gen(function*() {
    const runtime = yield* Effect.runtime<R>()
    const run = Runtime.runPromise(runtime)
    yield* Effect.promise(() =>
      fc.assert(fc.asyncProperty(arbitrary, (value) => run(Effect.asVoid(body(value)))), { numRuns, endOnFailure: true })
    )
  })

// ---------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------

/** `arbitrary`'s value with the given probability, otherwise null. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, probability: number): fc.Arbitrary<T | null> =>
  fc.oneof(
    { weight: Math.round((1 - probability) * 100), arbitrary: fc.constant(null) },
    { weight: Math.round(probability * 100), arbitrary }
  )

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code))
const anyUnit = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 1, arbitrary: fc.constantFrom("\u0000", " ", "\t", "\n", "\u00a0", "\u200b", "\ufeff", "\u202e", "'", "\"", "\\") }
)

const hostileWords = [
  "",
  " ",
  "   ",
  "\t\n",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfff",
  "\udbff\udfff",
  "😀",
  "🚀".repeat(256),
  "🚀".repeat(257),
  "é".repeat(256),
  "x".repeat(257),
  "c".repeat(1024),
  "c".repeat(1025),
  "'; DROP TABLE applications; --",
  "Robert'); DROP TABLE configurations;--",
  "1' OR '1'='1",
  "$1",
  "%s%n",
  "\u202eevil",
  "null",
  "__proto__",
  "constructor"
]

/** Text of every kind: ASCII, any Unicode, NUL, lone surrogates, blank, at and past the limits. */
const anyText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: anyUnit, maxLength: 20 }),
  fc.string({ unit: anyUnit, minLength: 250, maxLength: 270 }),
  fc.string({ unit: "grapheme-ascii", minLength: 1020, maxLength: 1030 }),
  fc.constantFrom(...hostileWords)
)

/** JSON object keys, including ones that collide with Object.prototype members and SQL-looking ones. */
const jsonKey = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 2, arbitrary: fc.string({ unit: anyUnit, maxLength: 6 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("", "constructor", "toString", "hasOwnProperty", "valueOf", "'; DROP TABLE x; --", "a.b", "$ref", "0")
  }
)

const jsonLeaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: anyUnit, maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null)
)

const { json: jsonValue } = fc.letrec<{ json: unknown; array: Array<unknown>; object: Record<string, unknown> }>((tie) => ({
  json: fc.oneof({ depthSize: "small", maxDepth: 4 }, jsonLeaf, tie("array"), tie("object")),
  array: fc.array(tie("json"), { maxLength: 4 }),
  object: fc.dictionary(jsonKey, tie("json"), { maxKeys: 5 })
}))

const jsonObject = fc.dictionary(jsonKey, jsonValue, { maxKeys: 6 })

/** A value that may be wrong for a field: any JSON, any text, blanks, over-long strings. */
const fieldValue = fc.oneof(jsonValue, anyText, fc.constantFrom<unknown>(null, 0, -1, 1e308, true, [], {}, "", "   "))

type Mutation =
  | { readonly kind: "set"; readonly field: string; readonly value: unknown }
  | { readonly kind: "drop"; readonly field: string }
  | { readonly kind: "extra"; readonly key: string; readonly value: unknown }
  | { readonly kind: "replace"; readonly value: unknown }

const mutation = (fields: ReadonlyArray<string>): fc.Arbitrary<Mutation> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("set" as const), field: fc.constantFrom(...fields), value: fieldValue }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("drop" as const), field: fc.constantFrom(...fields) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("extra" as const),
        key: fc.oneof(jsonKey, fc.constantFrom("id", "version", "created_at", "configuration_ids", "Name", "comment")),
        value: jsonValue
      })
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("replace" as const), value: fc.oneof(jsonValue, fc.anything()) }) }
  )

const applyMutation = (body: Record<string, unknown>, m: Mutation): unknown => {
  switch (m.kind) {
    case "set":
      return { ...body, [m.field]: m.value }
    case "drop": {
      const { [m.field]: _dropped, ...rest } = body
      return rest
    }
    case "extra":
      return { ...body, [m.key]: m.value }
    case "replace":
      return m.value
  }
}

const ulidAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
const freshUlid = fc
  .tuple(fc.constantFrom(..."01234567"), fc.string({ unit: fc.constantFrom(...ulidAlphabet), minLength: 25, maxLength: 25 }))
  .map(([first, rest]) => first + rest)

// ";" is left out: the router cuts paths at it, which Api.hostile.test.ts checks on its own
const pathChar = fc.constantFrom(..."abcXYZ0189-._~!$&'()*+,=:@".split(""))
const percentEncodeAll = (s: string) =>
  [...new TextEncoder().encode(s)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join("")

/** Path segments that are not ids: garbage, percent-encoded junk, SQL, over-long, near-misses. */
const junkSegment = fc
  .oneof(
    fc.string({ unit: pathChar, minLength: 1, maxLength: 40 }),
    fc.string({ unit: anyUnit, minLength: 1, maxLength: 12 }).map((s) => encodeURIComponent(s.toWellFormed())),
    fc.string({ unit: anyUnit, minLength: 1, maxLength: 8 }).map((s) => percentEncodeAll(s.toWellFormed())),
    freshUlid.map((id) => id.slice(0, 25)),
    freshUlid.map((id) => `${id}X`),
    freshUlid.map((id) => `8${id.slice(1)}`),
    freshUlid.map((id) => `${id.slice(0, 10)}I${id.slice(11)}`),
    fc.constantFrom(
      "%ZZ",
      "%",
      "%0",
      "%00",
      "%C0%AF",
      "%ED%A0%80",
      "%FF%FE",
      "%2F",
      "a%2Fb",
      "%5C",
      "'%20OR%201=1--",
      "1;DROP%20TABLE%20applications",
      "%E2%80%AE",
      "%F0%9F%9A%80",
      "null",
      "undefined",
      "0",
      "-1",
      "A".repeat(300),
      "0".repeat(2000)
    )
  )
  .filter((raw) => !/^(\.|%2e)+$/i.test(raw))

type IdRef =
  | { readonly kind: "existing"; readonly index: number; readonly encoding: "plain" | "lower" | "percent" }
  | { readonly kind: "fresh"; readonly id: string; readonly lower: boolean }
  | { readonly kind: "junk"; readonly raw: string }

const idRef = (existingWeight: number): fc.Arbitrary<IdRef> =>
  fc.oneof(
    {
      weight: existingWeight,
      arbitrary: fc.record({
        kind: fc.constant("existing" as const),
        index: fc.nat(),
        encoding: fc.constantFrom("plain" as const, "plain" as const, "lower" as const, "percent" as const)
      })
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("fresh" as const), id: freshUlid, lower: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("junk" as const), raw: junkSegment }) }
  )

type Target =
  | { readonly kind: "id"; readonly id: string; readonly exists: boolean; readonly segment: string }
  | { readonly kind: "invalid"; readonly segment: string }

const safeDecode = (raw: string) => {
  try {
    return decodeURIComponent(raw)
  } catch {
    return undefined
  }
}

/** Where an id reference points given the current model: an id (existing or not) or nothing valid. */
const resolve = (ref: IdRef, existing: ReadonlyArray<string>): Target => {
  if (ref.kind === "existing" && existing.length > 0) {
    const id = existing[ref.index % existing.length]!
    const segment = ref.encoding === "plain" ? id : ref.encoding === "lower" ? id.toLowerCase() : percentEncodeAll(id)
    return { kind: "id", id, exists: true, segment }
  }
  if (ref.kind === "junk") {
    const decoded = safeDecode(ref.raw)
    if (decoded !== undefined && canonicalUlid.test(decoded.toUpperCase())) {
      const id = decoded.toUpperCase()
      return { kind: "id", id, exists: existing.includes(id), segment: ref.raw }
    }
    return { kind: "invalid", segment: ref.raw }
  }
  const id = ref.kind === "fresh" ? ref.id : "7ZZZZZZZZZZZZZZZZZZZZZZZZZ"
  const lower = ref.kind === "fresh" && ref.lower
  return { kind: "id", id, exists: existing.includes(id), segment: lower ? id.toLowerCase() : id }
}

/** An id that is not a ULID: 400 from the schema, or 404 when the router cannot route it (never a lookup). */
const expectInvalidId = (reply: Reply) => {
  expect([400, 404], reply.label).toContain(reply.status)
  expect(reply.json._tag, reply.label).toBe(reply.status === 400 ? "HttpApiDecodeError" : "RouteNotFound")
}

const decodeApp = Schema.decodeUnknownEither(ApplicationInput)
const decodeCreate = Schema.decodeUnknownEither(ConfigurationCreate)
const decodeUpdate = Schema.decodeUnknownEither(ConfigurationUpdate)
const decodePage = Schema.decodeUnknownEither(PageParams)

/** The body the server sees: what JSON.stringify sends, parsed back (an empty body is null). */
const wire = (value: unknown) => {
  const text = JSON.stringify(value) ?? ""
  return { text, parsed: text === "" ? null : JSON.parse(text) as unknown }
}

const nameTakenByOtherApp = (name: string, self?: string) =>
  [...apps.values()].some((a) => a.name === name && a.id !== self)
const nameTakenInApp = (applicationId: string, name: string, self?: string) =>
  [...cfgs.values()].some((c) => c.application_id === applicationId && c.name === name && c.id !== self)

const encodedApp = Arbitrary.make(ApplicationInput).map((input) =>
  Schema.encodeSync(ApplicationInput)(input) as Record<string, unknown>
)
const encodedCreate = Arbitrary.make(ConfigurationCreate).map((input) =>
  Schema.encodeSync(ConfigurationCreate)(input) as Record<string, unknown>
)
const encodedUpdate = Arbitrary.make(ConfigurationUpdate).map((input) =>
  Schema.encodeSync(ConfigurationUpdate)(input) as Record<string, unknown>
)

/** An application body: mostly schema-valid, with reused names, free-form text and mutations. */
const appBody = fc.record({
  base: fc.oneof(
    { weight: 3, arbitrary: encodedApp },
    {
      weight: 2,
      arbitrary: fc.record({ name: anyText, comments: fc.option(anyText, { nil: null }) }, { requiredKeys: ["name"] })
    }
  ),
  reuseName: sometimes(fc.nat(), 0.15),
  mutation: sometimes(mutation(["name", "comments"]), 0.3)
})
type AppBody = typeof appBody extends fc.Arbitrary<infer T> ? T : never

const buildAppBody = (gen: AppBody) => {
  const names = [...apps.values()].map((a) => a.name)
  let body: Record<string, unknown> = { ...gen.base }
  if (gen.reuseName !== null && names.length > 0) body = { ...body, name: names[gen.reuseName % names.length] }
  return gen.mutation === null ? body : applyMutation(body, gen.mutation)
}

/** A configuration body: schema-valid ones pointed at existing applications, hostile configs, mutations. */
const cfgBody = (base: fc.Arbitrary<Record<string, unknown>>) =>
  fc.record({
    base,
    app: sometimes(fc.record({ index: fc.nat(), lower: fc.boolean() }), 0.9),
    config: sometimes(jsonObject, 0.4),
    text: sometimes(fc.record({ name: anyText, comments: fc.option(anyText, { nil: null }) }), 0.25),
    reuseName: sometimes(fc.nat(), 0.15),
    mutation: sometimes(mutation(["application_id", "name", "comments", "config"]), 0.3)
  })
type CfgBody = typeof cfgBody extends (...args: any) => fc.Arbitrary<infer T> ? T : never

/**
 * Creates point `application_id` at an existing application; updates (given the owner) either
 * repeat the owner's id, send another application's, or leave it out.
 */
const buildCfgBody = (gen: CfgBody, mode: { readonly owner: string | undefined } | "create") => {
  const ids = appIds()
  let body: Record<string, unknown> = { ...gen.base }
  if (gen.app !== null && ids.length > 0) {
    const other = ids[gen.app.index % ids.length]!
    const id = mode === "create" || mode.owner === undefined || gen.app.index % 3 === 0 ? other : mode.owner
    if (mode === "create" || "application_id" in body) body.application_id = gen.app.lower ? id.toLowerCase() : id
  }
  if (gen.config !== null) body.config = gen.config
  if (gen.text !== null) {
    body.name = gen.text.name
    body.comments = gen.text.comments
  }
  const owner = mode === "create"
    ? (typeof body.application_id === "string" ? body.application_id.toUpperCase() : undefined)
    : mode.owner
  const siblings = [...cfgs.values()].filter((c) => c.application_id === owner).map((c) => c.name)
  if (gen.reuseName !== null && siblings.length > 0) body.name = siblings[gen.reuseName % siblings.length]
  return gen.mutation === null ? body : applyMutation(body, gen.mutation)
}

// ---------------------------------------------------------------------------------------
// Checks shared by several properties
// ---------------------------------------------------------------------------------------

const checkAppResponse = (reply: Reply, row: AppRow) => {
  expect(appView(reply.json), reply.label).toEqual(expectedApp(row))
  expect(reply.json.created_at, reply.label).toMatch(isoTimestamp)
  expect(reply.json.updated_at, reply.label).toMatch(isoTimestamp)
}

const checkCfgResponse = (reply: Reply, row: CfgRow) => {
  expect(cfgView(reply.json), reply.label).toEqual(expectedCfg(row))
  expect(reply.json.created_at, reply.label).toMatch(isoTimestamp)
}

/** POST /applications with `value` as the JSON body; the model predicts the status. */
const postApplication = (value: unknown, extra: Partial<Send> = {}) =>
  Effect.gen(function*() {
    const { parsed, text } = wire(value)
    const reply = yield* send({ method: "POST", url: "/api/v1/applications", body: { text }, ...extra })
    const decoded = decodeApp(parsed)
    if (Either.isLeft(decoded)) {
      expect(reply.status, reply.label).toBe(400)
      return reply
    }
    const input = decoded.right
    if (nameTakenByOtherApp(input.name)) {
      expect(reply.status, reply.label).toBe(409)
      expect(reply.json._tag).toBe("ApplicationNameTaken")
      return reply
    }
    expect(reply.status, reply.label).toBe(201)
    const id = reply.json.id as string
    const row: AppRow = { id, name: reply.json.name, comments: reply.json.comments, version: reply.json.version }
    apps.set(id, row)
    revisions.set(id, [])
    expect(id, reply.label).toMatch(canonicalUlid)
    expect(reply.headers.location, reply.label).toBe(`/api/v1/applications/${id}`)
    checkAppResponse(reply, { id, name: input.name, comments: input.comments ?? null, version: 1 })
    return reply
  })

/** POST /configurations with `value` as the JSON body; the model predicts the status. */
const postConfiguration = (value: unknown, extra: Partial<Send> = {}) =>
  Effect.gen(function*() {
    const { parsed, text } = wire(value)
    const reply = yield* send({ method: "POST", url: "/api/v1/configurations", body: { text }, ...extra })
    const decoded = decodeCreate(parsed)
    if (Either.isLeft(decoded)) {
      expect(reply.status, reply.label).toBe(400)
      return reply
    }
    const input = decoded.right
    if (!apps.has(input.application_id)) {
      expect(reply.status, reply.label).toBe(400)
      expect(reply.json._tag).toBe("UnknownApplication")
      return reply
    }
    if (nameTakenInApp(input.application_id, input.name)) {
      expect(reply.status, reply.label).toBe(409)
      expect(reply.json._tag).toBe("ConfigurationNameTaken")
      return reply
    }
    expect(reply.status, reply.label).toBe(201)
    const id = reply.json.id as string
    cfgs.set(id, {
      id,
      application_id: reply.json.application_id,
      name: reply.json.name,
      comments: reply.json.comments,
      config: reply.json.config,
      version: reply.json.version
    })
    expect(id, reply.label).toMatch(canonicalUlid)
    expect(reply.headers.location, reply.label).toBe(`/api/v1/configurations/${id}`)
    const sent = (parsed as { config: unknown }).config
    checkCfgResponse(reply, {
      id,
      application_id: input.application_id,
      name: input.name,
      comments: input.comments ?? null,
      config: sent,
      version: 1
    })
    recordWrite("create", cfgs.get(id)!)
    return reply
  })

// ---------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------

it.layer(ServiceTest())("the API under generated input", (it) => {
  afterAll(() => {
    const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(", ")
    console.log(
      `property tests sent ${requests} requests (${byStatus}; ${apps.size} applications, ${cfgs.size} configurations left)`
    )
  })

  it.effect("POST /applications: schema-valid bodies are 201 (409 for a taken name), anything else 400", () =>
    property(180, appBody, (gen) => Effect.asVoid(postApplication(buildAppBody(gen)))).pipe(
      Effect.tap(() => expect(apps.size).toBeGreaterThan(40))
    ), 60_000)

  it.effect("POST /configurations: valid bodies are 201, unknown application 400, taken name 409, invalid 400", () =>
    property(250, cfgBody(encodedCreate), (gen) =>
      Effect.asVoid(postConfiguration(buildCfgBody(gen, "create")))).pipe(
        Effect.tap(() => expect(cfgs.size).toBeGreaterThan(40))
      ), 60_000)

  it.effect("GET /applications/{id}, /applications/{id}/configurations, /configurations/{id}: 200, 404 or 400", () =>
    property(
      120,
      fc.record({ app: idRef(4), cfg: idRef(4) }),
      ({ app, cfg }) =>
        Effect.gen(function*() {
          const appTarget = resolve(app, appIds())
          const cfgTarget = resolve(cfg, cfgIds())
          const [one, list, config] = yield* Effect.all([
            send({ method: "GET", url: `/api/v1/applications/${appTarget.segment}` }),
            send({ method: "GET", url: `/api/v1/applications/${appTarget.segment}/configurations` }),
            send({ method: "GET", url: `/api/v1/configurations/${cfgTarget.segment}` })
          ], { concurrency: 3 })
          if (appTarget.kind === "invalid") {
            expectInvalidId(one)
            expectInvalidId(list)
          } else if (!appTarget.exists) {
            expect(one.status, one.label).toBe(404)
            expect(one.json).toMatchObject({ _tag: "ApplicationNotFound", id: appTarget.id })
            expect(list.status, list.label).toBe(404)
            expect(list.json._tag).toBe("ApplicationNotFound")
          } else {
            expect(one.status, one.label).toBe(200)
            checkAppResponse(one, apps.get(appTarget.id)!)
            expect(list.status, list.label).toBe(200)
            expect((list.json as Array<Json>).map(cfgView), list.label).toEqual(
              configurationIdsOf(appTarget.id).map((id) => expectedCfg(cfgs.get(id)!))
            )
          }
          if (cfgTarget.kind === "invalid") {
            expectInvalidId(config)
          } else if (!cfgTarget.exists) {
            expect(config.status, config.label).toBe(404)
            expect(config.json).toMatchObject({ _tag: "ConfigurationNotFound", id: cfgTarget.id })
          } else {
            expect(config.status, config.label).toBe(200)
            checkCfgResponse(config, cfgs.get(cfgTarget.id)!)
          }
        })
    ), 60_000)

  it.effect("PUT /applications/{id}: valid bodies replace name and comments (+1 version), else 400/404/409", () =>
    property(180, fc.record({ id: idRef(6), body: appBody }), ({ body, id }) =>
      Effect.gen(function*() {
        const target = resolve(id, appIds())
        const { parsed, text } = wire(buildAppBody(body))
        const reply = yield* send({ method: "PUT", url: `/api/v1/applications/${target.segment}`, body: { text } })
        const decoded = decodeApp(parsed)
        if (target.kind === "invalid") return expectInvalidId(reply)
        if (Either.isLeft(decoded)) return expect(reply.status, reply.label).toBe(400)
        if (!target.exists) {
          expect(reply.status, reply.label).toBe(404)
          return expect(reply.json._tag).toBe("ApplicationNotFound")
        }
        const input = decoded.right
        if (nameTakenByOtherApp(input.name, target.id)) {
          expect(reply.status, reply.label).toBe(409)
          return expect(reply.json._tag).toBe("ApplicationNameTaken")
        }
        expect(reply.status, reply.label).toBe(200)
        const row = apps.get(target.id)!
        row.name = reply.json.name
        row.comments = reply.json.comments
        const expectedVersion = row.version + 1
        row.version = reply.json.version
        checkAppResponse(reply, { id: target.id, name: input.name, comments: input.comments ?? null, version: expectedVersion })
      })), 60_000)

  it.effect("PUT /configurations/{id}: valid bodies replace name, comments and config; application_id cannot move", () =>
    property(180, fc.record({ id: idRef(6), body: cfgBody(encodedUpdate) }), ({ body, id }) =>
      Effect.gen(function*() {
        const target = resolve(id, cfgIds())
        const owner = target.kind === "id" ? cfgs.get(target.id)?.application_id : undefined
        const { parsed, text } = wire(buildCfgBody(body, { owner }))
        const reply = yield* send({ method: "PUT", url: `/api/v1/configurations/${target.segment}`, body: { text } })
        const decoded = decodeUpdate(parsed)
        if (target.kind === "invalid") return expectInvalidId(reply)
        if (Either.isLeft(decoded)) return expect(reply.status, reply.label).toBe(400)
        if (!target.exists) {
          expect(reply.status, reply.label).toBe(404)
          return expect(reply.json._tag).toBe("ConfigurationNotFound")
        }
        const input = decoded.right
        const row = cfgs.get(target.id)!
        if (input.application_id !== undefined && input.application_id !== row.application_id) {
          expect(reply.status, reply.label).toBe(400)
          return expect(reply.json._tag).toBe("ApplicationIdImmutable")
        }
        if (nameTakenInApp(row.application_id, input.name, row.id)) {
          expect(reply.status, reply.label).toBe(409)
          return expect(reply.json._tag).toBe("ConfigurationNameTaken")
        }
        expect(reply.status, reply.label).toBe(200)
        const expectedVersion = row.version + 1
        row.name = reply.json.name
        row.comments = reply.json.comments
        row.config = reply.json.config
        row.version = reply.json.version
        checkCfgResponse(reply, {
          id: row.id,
          application_id: row.application_id,
          name: input.name,
          comments: input.comments ?? null,
          config: (parsed as { config: unknown }).config,
          version: expectedVersion
        })
        recordWrite("update", row)
      })), 60_000)

  it.effect("GET /applications with generated limit/after/junk query strings: 200 pages that match the model, or 400 (unknown parameters too)", () => {
    const limitValue = fc.oneof(
      fc.integer({ min: -5, max: 1005 }).map(String),
      fc.integer({ min: 1, max: 20 }).map(String),
      fc.constantFrom("", " 5", "5 ", "1e3", "1e1", "1.5", "2.0", "0x10", "+5", "-0", "abc", "%ZZ", "Infinity", "NaN"),
      fc.constantFrom("1001", "0", "١", "1e400", "%31%30")
    )
    const afterValue = fc.oneof(
      fc.record({ index: fc.nat(), lower: fc.boolean() }).map((pick) => ({ pick })),
      freshUlid.map((raw) => ({ raw })),
      junkSegment.map((raw) => ({ raw })),
      fc.constant({ raw: "" })
    )
    const param = fc.oneof(
      { weight: 3, arbitrary: fc.record({ key: fc.constant("limit"), value: limitValue }) },
      { weight: 3, arbitrary: fc.record({ key: fc.constant("after"), value: afterValue }) },
      {
        weight: 1,
        arbitrary: fc.record({
          key: fc.constantFrom("cascade", "junk", "__proto__", "constructor", "toString", "LIMIT", "limit[]", "after ", ""),
          value: fc.string({ unit: anyUnit, maxLength: 8 }).map((s) => s.toWellFormed())
        })
      }
    )
    return property(180, fc.record({ params: fc.array(param, { maxLength: 4 }), raw: fc.boolean() }), ({ params, raw }) =>
      Effect.gen(function*() {
        const ids = appIds()
        const parts = params.map(({ key, value }) => {
          const text = typeof value === "string"
            ? value
            : "pick" in value
            ? (ids.length === 0 ? "" : ids[value.pick.index % ids.length]!)[value.pick.lower ? "toLowerCase" : "toUpperCase"]()
            : value.raw
          return `${encodeURIComponent(key)}=${raw ? text.replace(/[#&\s]/g, encodeURIComponent) : encodeURIComponent(text)}`
        })
        const query = parts.join("&")
        const reply = yield* send({ method: "GET", url: `/api/v1/applications${query === "" ? "" : `?${query}`}` })
        const search = new URL(`http://x/?${query}`).searchParams
        const limits = search.getAll("limit")
        const afters = search.getAll("after")
        if (limits.some((limit) => !/^[0-9]+$/.test(limit))) expect(reply.status, reply.label).toBe(400)
        const unknown = [...search.keys()].some((key) => key !== "limit" && key !== "after")
        const page = unknown || limits.length > 1 || afters.length > 1
          ? undefined
          : decodePage({ ...(limits.length ? { limit: limits[0] } : {}), ...(afters.length ? { after: afters[0] } : {}) })
        if (page === undefined || Either.isLeft(page)) {
          expect(reply.status, reply.label).toBe(400)
          return expect(reply.json._tag).toBe("HttpApiDecodeError")
        }
        expect(reply.status, reply.label).toBe(200)
        const { after, limit } = page.right
        const remaining = ids.filter((id) => after === undefined || id > after)
        const expected = limit === undefined ? remaining : remaining.slice(0, limit)
        expect((reply.json as Array<Json>).map(appView), reply.label).toEqual(expected.map((id) => expectedApp(apps.get(id)!)))
        if (limit !== undefined && remaining.length > limit) {
          expect(reply.headers.link, reply.label).toBe(
            `</api/v1/applications?limit=${limit}&after=${expected[expected.length - 1]}>; rel="next"`
          )
        } else {
          expect(reply.headers.link, reply.label).toBeUndefined()
        }
        if (limit === undefined && after === undefined) expect(reply.json).toHaveLength(apps.size)
      }))
  }, 60_000)

  it.effect("raw bodies — random text, random bytes, broken JSON — at every body endpoint are 4xx and change nothing", () => {
    const jsonish = fc.oneof(
      fc.string({ unit: anyUnit, maxLength: 40 }),
      fc.json({ maxDepth: 3 }).chain((text) =>
        fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut))
      ),
      fc.json({ maxDepth: 3 }).map((text) => text.replace(/"/g, "'")),
      fc.constantFrom("{", "}", "{\"name\":}", "{\"name\":\"x\",}", "[1,]", "nul", "{\"name\":\"x\"}}", "\u0000"),
      fc.constantFrom("\ufeff{\"name\":\"bom\"}", "\ufeff\ufeff{}", "{\"name\":\"x\"}\u0000")
    )
    const rawBody = fc.oneof(
      { weight: 3, arbitrary: jsonish.map((text) => ({ text: text.toWellFormed() }) as Body) },
      { weight: 2, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ bytes }) as Body) },
      {
        weight: 1,
        arbitrary: fc.uint8Array({ minLength: 1, maxLength: 4 }).map((bytes) => ({
          bytes: Uint8Array.from([...new TextEncoder().encode("{\"name\":\""), ...bytes, 0x22, 0x7d])
        }) as Body)
      }
    )
    const utf8 = new TextDecoder("utf-8", { fatal: true })
    /**
     * What the server makes of the bytes: not UTF-8 or not JSON (`parses: false`), or the parsed
     * value. Like the server's decoder, a leading UTF-8 byte order mark is dropped (RFC 8259 allows that).
     */
    const interpret = (body: Body) => {
      try {
        const text = utf8.decode("text" in body ? new TextEncoder().encode(body.text) : body.bytes)
        return { parses: true, parsed: text === "" ? null : JSON.parse(text) as unknown }
      } catch {
        return { parses: false, parsed: undefined }
      }
    }
    // a body that happens to be valid would change data; those are covered by the properties above
    const invalidBody = rawBody.filter((body) => {
      const { parsed, parses } = interpret(body)
      return !parses ||
        (Either.isLeft(decodeApp(parsed)) && Either.isLeft(decodeCreate(parsed)) && Either.isLeft(decodeUpdate(parsed)))
    })
    return property(120, invalidBody, (body) =>
      Effect.gen(function*() {
        const { parses } = interpret(body)
        const appId = appIds()[0]!
        const cfgId = cfgIds()[0]!
        const replies = yield* Effect.all([
          send({ method: "POST", url: "/api/v1/applications", body }),
          send({ method: "PUT", url: `/api/v1/applications/${appId}`, body }),
          send({ method: "POST", url: "/api/v1/configurations", body }),
          send({ method: "PUT", url: `/api/v1/configurations/${cfgId}`, body })
        ], { concurrency: 4 })
        for (const reply of replies) {
          expect(reply.status, reply.label).toBe(400)
          expect(reply.json._tag, reply.label).toBe(parses ? "HttpApiDecodeError" : "MalformedJson")
        }
      }))
  }, 60_000)

  it.effect("generated headers (content-type, if-match, if-none-match, authorization): 2xx, 304 or 4xx as they should be", () => {
    const validJson = fc.constantFrom(
      "application/json",
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "application/json;charset=UTF-8",
      "Application/Json ; charset=\"utf-8\""
    )
    const notJson = fc.oneof(
      fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"),
      fc.constantFrom("text/json", "*/*", ""),
      fc
        .string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz/+-.;= ".split("")), maxLength: 30 })
        .filter((s) => !s.includes("json"))
    )
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 })
    const tagItem = fc.oneof(
      fc.constant("current"),
      fc.constant("weak-current"),
      fc.constant("*"),
      fc.integer({ min: 1, max: 999 }).map((n) => `"${n + 1000}"`),
      fc.constantFrom(`"1-000000000000"`, `""`, `W/""`, `"x"`, "garbage", "W/", ","),
      printable.filter((s) => !s.includes("\""))
    )
    const tags = fc.array(tagItem, { minLength: 1, maxLength: 3 })
    const header = fc.record({
      contentType: fc.option(fc.oneof(validJson, notJson), { nil: undefined, freq: 2 }),
      ifMatch: fc.option(tags, { nil: undefined, freq: 2 }),
      ifNoneMatch: fc.option(tags, { nil: undefined, freq: 2 }),
      authorization: fc.option(fc.oneof(printable, printable.map((s) => `Bearer ${s}`)), { nil: undefined })
    })
    const operation = fc.constantFrom("get-app", "get-cfg", "put-app", "put-cfg", "delete-cfg", "post-app", "post-cfg")
    return property(
      170,
      fc.record({ op: operation, header, pick: fc.nat(), body: appBody, cfgBody: cfgBody(encodedUpdate) }),
      ({ body, cfgBody: cfgGen, header, op, pick }) =>
        Effect.gen(function*() {
          const isApp = op.endsWith("app")
          const ids = isApp ? appIds() : cfgIds()
          const id = ids[pick % ids.length]!
          const url = `/api/v1/${isApp ? "applications" : "configurations"}/${id}`
          const current = yield* send({ method: "GET", url })
          expect(current.status, current.label).toBe(200)
          const etag = current.headers.etag!
          expect(etag, current.label).toMatch(isApp ? /^"\d+-[0-9a-f]{12}"$/ : /^"\d+"$/)
          const render = (items: ReadonlyArray<string>) =>
            items.map((item) => (item === "current" ? etag : item === "weak-current" ? `W/${etag}` : item)).join(", ")
          const headers: Record<string, string> = {}
          // an empty or blank header is not sent as one (HTTP trims the value), so it is left out
          const set = (name: string, value: string | undefined) => {
            if (value !== undefined && value.trim() !== "") headers[name] = value
          }
          set("if-match", header.ifMatch && render(header.ifMatch))
          set("if-none-match", header.ifNoneMatch && render(header.ifNoneMatch))
          set("authorization", header.authorization)
          const list = (value: string) => value.split(",").map((item) => item.trim())
          const strongMatch = (value: string) => value.trim() === "*" || list(value).includes(etag)
          const weakMatch = (value: string) =>
            value.trim() === "*" || list(value).some((item) => item.replace(/^W\//, "") === etag)
          // no content-type at all is read as JSON; one that is there must be application/json
          const contentType = header.contentType === undefined || header.contentType === "" ? "application/json" : header.contentType
          const sentType = header.contentType === "" ? null : contentType
          const jsonBody = contentType.split(";")[0]!.trim().toLowerCase() === "application/json"

          if (op === "get-app" || op === "get-cfg") {
            const reply = yield* send({ method: "GET", url, headers })
            if (headers["if-none-match"] !== undefined && weakMatch(headers["if-none-match"])) {
              expect(reply.status, reply.label).toBe(304)
              expect(reply.text, reply.label).toBe("")
              expect(reply.headers.etag, reply.label).toBe(etag)
            } else {
              expect(reply.status, reply.label).toBe(200)
              expect(reply.text, reply.label).toBe(current.text)
            }
            return
          }
          if (op === "delete-cfg") {
            const reply = yield* send({ method: "DELETE", url, headers })
            if (headers["if-match"] !== undefined && !strongMatch(headers["if-match"])) {
              expect(reply.status, reply.label).toBe(412)
              return expect(reply.json._tag).toBe("PreconditionFailed")
            }
            expect(reply.status, reply.label).toBe(204)
            recordDelete(id)
            return
          }
          if (op === "post-app" || op === "post-cfg") {
            const value = op === "post-app"
              ? buildAppBody(body)
              : buildCfgBody({ ...cfgGen, base: { ...cfgGen.base, application_id: appIds()[pick % apps.size] } }, "create")
            const extra: Partial<Send> = { headers, contentType: sentType }
            if (!jsonBody) {
              const reply = yield* send({
                method: "POST",
                url: op === "post-app" ? "/api/v1/applications" : "/api/v1/configurations",
                body: { text: wire(value).text },
                ...extra
              })
              expect(reply.status, reply.label).toBe(415)
              return expect(reply.json._tag).toBe("UnsupportedMediaType")
            }
            yield* op === "post-app" ? postApplication(value, extra) : postConfiguration(value, extra)
            return
          }
          // PUT with generated headers and a generated body
          const owner = isApp ? undefined : cfgs.get(id)!.application_id
          const value = isApp ? buildAppBody(body) : buildCfgBody(cfgGen, { owner })
          const { parsed, text } = wire(value)
          const reply = yield* send({
            method: "PUT",
            url,
            body: { text },
            headers,
            contentType: sentType
          })
          if (!jsonBody) {
            expect(reply.status, reply.label).toBe(415)
            return expect(reply.json._tag).toBe("UnsupportedMediaType")
          }
          if (isApp) {
            const decoded = decodeApp(parsed)
            if (Either.isLeft(decoded)) return expect(reply.status, reply.label).toBe(400)
            if (headers["if-match"] !== undefined && !strongMatch(headers["if-match"])) {
              return expect(reply.status, reply.label).toBe(412)
            }
            if (nameTakenByOtherApp(decoded.right.name, id)) return expect(reply.status, reply.label).toBe(409)
            expect(reply.status, reply.label).toBe(200)
            const row = apps.get(id)!
            const expectedVersion = row.version + 1
            Object.assign(row, { name: reply.json.name, comments: reply.json.comments, version: reply.json.version })
            return checkAppResponse(reply, {
              id,
              name: decoded.right.name,
              comments: decoded.right.comments ?? null,
              version: expectedVersion
            })
          }
          const decoded = decodeUpdate(parsed)
          if (Either.isLeft(decoded)) return expect(reply.status, reply.label).toBe(400)
          const row = cfgs.get(id)!
          const input = decoded.right
          if (input.application_id !== undefined && input.application_id !== row.application_id) {
            return expect(reply.status, reply.label).toBe(400)
          }
          if (headers["if-match"] !== undefined && !strongMatch(headers["if-match"])) {
            return expect(reply.status, reply.label).toBe(412)
          }
          if (nameTakenInApp(row.application_id, input.name, id)) return expect(reply.status, reply.label).toBe(409)
          expect(reply.status, reply.label).toBe(200)
          const expectedVersion = row.version + 1
          Object.assign(row, {
            name: reply.json.name,
            comments: reply.json.comments,
            config: reply.json.config,
            version: reply.json.version
          })
          checkCfgResponse(reply, {
            ...row,
            name: input.name,
            comments: input.comments ?? null,
            config: (parsed as { config: unknown }).config,
            version: expectedVersion
          })
          recordWrite("update", row)
        })
    )
  }, 60_000)

  it.effect("DELETE /configurations/{id} and /applications/{id}?cascade=: 204, 404, 409 while it has configurations, or 400", () => {
    const cascade = fc.option(
      fc.constantFrom("true", "false", "TRUE", "True", "1", "0", "", "yes", "true&cascade=true", "false&cascade=false", "%74rue"),
      { nil: undefined, freq: 2 }
    )
    return property(
      180,
      fc.record({ which: fc.constantFrom("app", "cfg"), id: idRef(3), cascade }),
      ({ cascade, id, which }) =>
        Effect.gen(function*() {
          if (which === "cfg") {
            const target = resolve(id, cfgIds())
            const reply = yield* send({ method: "DELETE", url: `/api/v1/configurations/${target.segment}` })
            if (target.kind === "invalid") return expectInvalidId(reply)
            if (!target.exists) {
              expect(reply.status, reply.label).toBe(404)
              return expect(reply.json._tag).toBe("ConfigurationNotFound")
            }
            expect(reply.status, reply.label).toBe(204)
            expect(reply.text).toBe("")
            recordDelete(target.id)
            return
          }
          // keep enough applications for the final comparison to mean something
          const target = resolve(id, apps.size > 40 ? appIds() : [])
          const query = cascade === undefined ? "" : `?cascade=${cascade}`
          const reply = yield* send({ method: "DELETE", url: `/api/v1/applications/${target.segment}${query}` })
          const values = new URL(`http://x/${query}`).searchParams.getAll("cascade")
          const cascadeValue = values.length === 0 ? false : values.length === 1 && values[0] === "true"
            ? true
            : values.length === 1 && values[0] === "false"
            ? false
            : undefined
          if (target.kind === "invalid") return expectInvalidId(reply)
          if (cascadeValue === undefined) {
            expect(reply.status, reply.label).toBe(400)
            return expect(reply.json._tag).toBe("HttpApiDecodeError")
          }
          if (!target.exists) {
            expect(reply.status, reply.label).toBe(404)
            return expect(reply.json._tag).toBe("ApplicationNotFound")
          }
          const owned = configurationIdsOf(target.id)
          if (owned.length > 0 && !cascadeValue) {
            expect(reply.status, reply.label).toBe(409)
            return expect(reply.json._tag).toBe("ApplicationHasConfigurations")
          }
          expect(reply.status, reply.label).toBe(204)
          for (const cfgId of owned) cfgs.delete(cfgId)
          recordApplicationDelete(target.id)
        })
    )
  }, 60_000)

  it.effect("POST /configurations/{id}/versions/{version}/restore: 200/201 as the model says, else 4xx", () => {
    const version = fc.oneof(
      { weight: 6, arbitrary: fc.nat().map((pick) => ({ pick })) },
      { weight: 1, arbitrary: fc.constantFrom("0", "01", "-1", "+1", "1e1", "1.0", "abc", "99999", "2147483648") }
    )
    const ifMatch = fc.constantFrom(undefined, undefined, undefined, "current", `"12345"`, "*")
    const answered = new Set<number>()
    // `take`: another configuration takes the version's name first (the restore is then 409)
    const arbitrary = fc.record({ id: idRef(6), version, ifMatch, take: fc.boolean() })
    return property(150, arbitrary, ({ id, ifMatch, take, version }) =>
      Effect.gen(function*() {
        const target = resolve(id, sortedIds(histories.keys()))
        const history = target.kind === "id" ? histories.get(target.id) : undefined
        const segment = typeof version === "string"
          ? version
          : String(1 + version.pick % (history === undefined ? 3 : history.versions.length + 1))
        const named = history?.versions[Number(segment) - 1]
        if (take && named !== undefined && !nameTakenInApp(history!.application_id, named.name)) {
          yield* postConfiguration({ application_id: history!.application_id, name: named.name, config: {} })
        }
        const live = target.kind === "id" ? cfgs.get(target.id) : undefined
        const current = live?.version ?? history?.versions.length ?? 1
        const headers: Record<string, string> = {}
        if (ifMatch !== undefined) headers["if-match"] = ifMatch === "current" ? `"${current}"` : ifMatch
        const url = `/api/v1/configurations/${target.segment}/versions/${segment}/restore`
        const reply = yield* send({ method: "POST", url, headers })
        answered.add(reply.status)
        if (target.kind === "invalid") return expectInvalidId(reply)
        const number = /^[0-9]+$/.test(segment) ? Number(segment) : Number.NaN
        if (!(number >= 1 && number <= 2_147_483_647)) {
          expect(reply.status, reply.label).toBe(400)
          return expect(reply.json._tag, reply.label).toBe("HttpApiDecodeError")
        }
        if (history === undefined) {
          expect(reply.status, reply.label).toBe(404)
          return expect(reply.json._tag, reply.label).toBe("ConfigurationNotFound")
        }
        const source = history.versions[number - 1]
        if (source === undefined) {
          expect(reply.status, reply.label).toBe(404)
          return expect(reply.json).toMatchObject({ _tag: "VersionNotFound", version: number })
        }
        const tag = headers["if-match"]
        if (tag !== undefined && tag !== "*" && tag !== `"${current}"`) {
          expect(reply.status, reply.label).toBe(412)
          return expect(reply.json._tag, reply.label).toBe("PreconditionFailed")
        }
        if (nameTakenInApp(history.application_id, source.name, target.id)) {
          expect(reply.status, reply.label).toBe(409)
          return expect(reply.json._tag, reply.label).toBe("ConfigurationNameTaken")
        }
        expect(reply.status, reply.label).toBe(live === undefined ? 201 : 200)
        if (live === undefined) expect(reply.headers.location, reply.label).toBe(`/api/v1/configurations/${target.id}`)
        const row: CfgRow = {
          id: target.id,
          application_id: history.application_id,
          name: source.name,
          comments: source.comments,
          config: source.config,
          version: history.versions.length + 1
        }
        checkCfgResponse(reply, row)
        expect(reply.headers.etag, reply.label).toBe(`"${row.version}"`)
        cfgs.set(row.id, row)
        recordWrite("restore", row)
      })).pipe(Effect.tap(() => {
        expect([...answered]).toEqual(expect.arrayContaining([200, 201, 400, 404, 409, 412]))
      }))
  }, 60_000)

  it.effect("afterwards the API and the database hold exactly what the 2xx responses said", () =>
    Effect.gen(function*() {
      expect(apps.size).toBeGreaterThan(0)
      expect(cfgs.size).toBeGreaterThan(0)
      const all = yield* send({ method: "GET", url: "/api/v1/applications" })
      expect(all.status).toBe(200)
      expect((all.json as Array<Json>).map(appView)).toEqual(appIds().map((id) => expectedApp(apps.get(id)!)))
      const lists = yield* Effect.forEach(
        appIds(),
        (id) => send({ method: "GET", url: `/api/v1/applications/${id}/configurations` }),
        { concurrency: 4 }
      )
      const listed = lists.flatMap((reply) => {
        expect(reply.status, reply.label).toBe(200)
        return (reply.json as Array<Json>).map(cfgView)
      })
      expect(sortedIds(listed.map((c) => c.id))).toEqual(cfgIds())
      expect(listed.sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(cfgIds().map((id) => expectedCfg(cfgs.get(id)!)))

      const sql = yield* SqlClient.SqlClient
      const [appCount] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM applications`
      const [cfgCount] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM configurations`
      expect(appCount!.n).toBe(apps.size)
      expect(cfgCount!.n).toBe(cfgs.size)
      const appRows = yield* sql<AppRow>`SELECT id, name, comments, version FROM applications ORDER BY id`
      expect(appRows.map((r) => ({ ...r }))).toEqual(appIds().map((id) => ({ ...apps.get(id)! })))
      const cfgRows = yield* sql<CfgRow>`
        SELECT id, application_id, name, comments, config, version FROM configurations ORDER BY id`
      expect(cfgRows.map((r) => ({ ...r }))).toEqual(cfgIds().map((id) => ({ ...cfgs.get(id)! })))
      // every kind of answer was exercised
      for (const status of [200, 201, 204, 304, 400, 404, 409, 412, 415]) {
        expect(statuses.get(status) ?? 0, `${status}`).toBeGreaterThan(0)
      }
    }), 60_000)
  it.effect("afterwards each configuration's history and application's revisions are the acknowledged writes", () =>
    Effect.gen(function*() {
      const ids = sortedIds(histories.keys())
      expect(ids.length).toBeGreaterThan(cfgs.size)
      const versionOf = (id: string, n: number) => {
        const { application_id, versions } = histories.get(id)!
        return { configuration_id: id, application_id, version: n, ...versions[n - 1]!, actor: null }
      }
      const lists = yield* Effect.forEach(
        ids,
        (id) => send({ method: "GET", url: `/api/v1/configurations/${id}/versions` }),
        { concurrency: 4 }
      )
      lists.forEach((reply, i) => {
        const id = ids[i]!
        expect(reply.status, reply.label).toBe(200)
        const listed = (reply.json as Array<Json>).map(({ created_at, revision, ...fields }) => fields)
        const expected = histories.get(id)!.versions.map((_, n) => versionOf(id, n + 1)).reverse()
        expect(listed, reply.label).toEqual(expected)
      })

      const changes = yield* Effect.forEach(
        appIds(),
        (id) => send({ method: "GET", url: `/api/v1/applications/${id}/changes?limit=1000` }),
        { concurrency: 4 }
      )
      changes.forEach((reply, i) => {
        const written = revisions.get(appIds()[i]!)!
        expect(reply.status, reply.label).toBe(200)
        expect(reply.json.revision, reply.label).toBe(written.length)
        expect(
          (reply.json.changes as Array<Json>).map((c) => [c.revision, c.configuration_id, c.version, c.op, c.name]),
          reply.label
        ).toEqual(written.map((w, n) => {
          const version = versionOf(w.configuration_id, w.version)
          return [n + 1, w.configuration_id, w.version, version.op, version.name]
        }))
      })

      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<Json>`
        SELECT configuration_id, application_id, version, op, name, comments, config, actor, revision::int AS revision
        FROM configuration_versions ORDER BY application_id, revision`
      expect(rows.map((row) => ({ ...row }))).toEqual(appIds().flatMap((appId) =>
        revisions.get(appId)!.map((w, n) => ({ ...versionOf(w.configuration_id, w.version), revision: n + 1 }))
      ))
      const counters = yield* sql<Json>`SELECT id, revision::int AS revision FROM applications ORDER BY id`
      expect(counters.map((row) => ({ ...row }))).toEqual(
        appIds().map((id) => ({ id, revision: revisions.get(id)!.length }))
      )
      for (const status of [200, 201]) {
        expect(statuses.get(status) ?? 0, `${status}`).toBeGreaterThan(0)
      }
    }), 60_000)
})
