import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Redacted } from "effect"
import { ChangeFeed, layerChangeFeed } from "./ChangeFeed/ChangeFeed.js"
import { type HttpRequest, type HttpResponse, send } from "../test/Net.js"
import { ensureBuilt, type Service } from "../test/Process.js"
import { missing, startDeployment } from "../test/ScaleOut.js"

ensureBuilt()

if (missing.length > 0) {
  console.log(
    `scale-out history suite left out: ${missing.join(" and ")} not installed ` +
      "(apt-get install pgbouncer haproxy; make -C svc test installs them when run as root)"
  )
}

const applications = 3
const configurationsPerApplication = 4
const rounds = 20

/** One request that must be answered with `status` (any 2xx when not given), read to its end. */
const ok = async (port: number, options: Omit<HttpRequest, "port">, status?: number): Promise<HttpResponse> => {
  const outcome = await send({ port, timeoutMs: 30_000, ...options })
  const what = `${options.method ?? "GET"} ${options.path}`
  if (outcome._tag !== "Response") throw new Error(`${what}: ${outcome.code} (${outcome.message})`)
  if (status === undefined ? outcome.status >= 300 : outcome.status !== status) {
    throw new Error(`${what}: ${outcome.status} ${outcome.text.slice(0, 300)}`)
  }
  return outcome
}

const idOf = (response: HttpResponse) => (response.json as { id: string }).id

/**
 * The keys a change feed reading the database at `url` hands on, in its order: an application's
 * revisions in revision order, batch after batch, each batch a snapshot. Ready once it has read.
 */
const listen = (url: string) =>
  Effect.gen(function*() {
    const context = yield* Layer.build(layerChangeFeed({ listenUrl: Redacted.make(url), readUrl: Redacted.make(url) }))
    const feed = Context.get(context, ChangeFeed)
    const heard: Array<string> = []
    yield* feed.subscribe({ change: (key) => heard.push(key), reset: () => {} })
    for (let i = 0; i < 200 && !feed.trusted(); i++) yield* Effect.sleep("50 millis")
    expect(feed.trusted()).toBe(true)
    return { heard }
  })

/**
 * Writes configuration `id` through the balancer `rounds` times, and every fifth round
 * deletes it and restores the version it just wrote; how many writes were acknowledged.
 */
const writer = async (balancer: number, id: string, name: string) => {
  const path = `/api/v1/configurations/${id}`
  let written = 0
  for (let round = 1; round <= rounds; round++) {
    const updated = await ok(balancer, { method: "PUT", path, body: { name, config: { round } } }, 200)
    written++
    if (round % 5 !== 0) continue
    await ok(balancer, { method: "DELETE", path }, 204)
    const version = (updated.json as { version: number }).version
    await ok(balancer, { method: "POST", path: `${path}/versions/${version}/restore` }, 201)
    written += 2
  }
  return written
}

interface Change {
  readonly revision: number
  readonly configuration_id: string
  readonly version: number
  readonly op: string
}

/**
 * Follows an application's changes on one instance with long polls, from revision 0 until
 * `final()` says where the writers ended (or that they failed: `null`); fails if a page skips
 * or repeats a revision.
 */
const follow = async (instance: Service, application: string, final: () => number | null | undefined) => {
  let last = 0
  const deadline = Date.now() + 90_000
  while (final() === undefined || (final() !== null && last < final()!)) {
    if (Date.now() > deadline) throw new Error(`following ${application} on ${instance.port}: stuck at ${last}`)
    const page = await ok(instance.port, { path: `/api/v1/applications/${application}/changes?after=${last}&wait=5` })
    const changes = (page.json as { changes: Array<Change> }).changes
    changes.forEach((change, i) => {
      if (change.revision !== last + i + 1) {
        throw new Error(`after ${last} on ${instance.port}: revision ${change.revision} at ${i}`)
      }
    })
    last += changes.length
  }
  return last
}

describe.skipIf(missing.length > 0)("history behind PgBouncer (transaction pooling), HAProxy, three instances", () => {
  it.scopedLive("writers spread over the instances keep each application's revisions gapless and in commit order", () =>
    Effect.gen(function*() {
      const { balancer, direct, instances } = yield* startDeployment({ listenDirect: true })
      const { heard } = yield* listen(direct)
      const port = balancer.port

      const apps = yield* Effect.promise(async () => {
        const created = []
        for (let a = 0; a < applications; a++) {
          const body = { name: `app-${a}` }
          const app = idOf(await ok(port, { method: "POST", path: "/api/v1/applications", body }, 201))
          const configurations = []
          for (let c = 0; c < configurationsPerApplication; c++) {
            const body = { application_id: app, name: `config-${c}`, config: { round: 0 } }
            configurations.push(idOf(await ok(port, { method: "POST", path: "/api/v1/configurations", body }, 201)))
          }
          created.push({ id: app, configurations })
        }
        return created
      })

      const finals = new Map<string, number | null>()
      const following = Promise.all(
        apps.flatMap((app) => instances.map((instance) => follow(instance, app.id, () => finals.get(app.id))))
      )
      following.catch(() => {}) // awaited below, once the writers are done
      yield* Effect.promise(() =>
        Promise.all(apps.map(async (app) => {
          const counts = await Promise.all(app.configurations.map((id, c) => writer(port, id, `config-${c}`)))
          finals.set(app.id, app.configurations.length + counts.reduce((sum, n) => sum + n, 0))
        })).catch((error) => {
          for (const app of apps) finals.set(app.id, null)
          throw error
        })
      )
      const followed = yield* Effect.promise(() => following)

      const perApplication = configurationsPerApplication * (1 + rounds + 2 * (rounds / 5))
      for (const [i, app] of apps.entries()) {
        expect(finals.get(app.id)).toBe(perApplication)
        expect(followed.slice(i * instances.length, (i + 1) * instances.length)).toEqual(
          instances.map(() => perApplication)
        )
        for (const instance of instances) {
          const path = `/api/v1/applications/${app.id}/changes`
          const page = yield* Effect.promise(() => ok(instance.port, { path }))
          const { changes, revision } = page.json as { revision: number; changes: Array<Change> }
          expect(revision).toBe(perApplication)
          expect(changes.map((change) => change.revision)).toEqual(changes.map((_, n) => n + 1))
          // Each configuration's versions follow its application's revisions: 1, 2, 3 … in revision order.
          for (const id of app.configurations) {
            const versions = changes.filter((change) => change.configuration_id === id).map((change) => change.version)
            expect(versions).toEqual(versions.map((_, n) => n + 1))
            expect(versions).toHaveLength(perApplication / configurationsPerApplication)
          }
        }
        // Each reading is a snapshot, which holds a prefix of the revisions only if they were assigned in commit order.
        const prefix = `r:${app.id}:`
        const announced = () =>
          heard.filter((payload) => payload.startsWith(prefix)).map((payload) => Number(payload.slice(prefix.length)))
        for (let i = 0; i < 100 && announced().length < perApplication; i++) yield* Effect.sleep("100 millis")
        expect(announced()).toEqual(Array.from({ length: perApplication }, (_, n) => n + 1))
      }
      for (const instance of instances) {
        expect(instance.output()).toMatch(/PUT \/api\/v1\/configurations\/\S+ 200/)
        expect(instance.output()).toMatch(/POST \/api\/v1\/configurations\/\S+\/versions\/\d+\/restore 201/)
        expect(instance.output()).not.toMatch(/ERROR|FATAL|InternalError/)
      }
    }), 180_000)
})
