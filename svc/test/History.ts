import { SqlClient } from "@effect/sql"
import { Effect, Layer, Schema } from "effect"
import { ApplicationsRepo } from "../src/Applications/Repo.js"
import { ConfigurationsRepo } from "../src/Configurations/Repo.js"
import * as Configurations from "../src/Configurations/Resource.js"
import { ChangeFeed } from "../src/ChangeFeed/ChangeFeed.js"
import { parseChange } from "../src/ChangeFeed/ChangeKeys.js"
import type { ApplicationId } from "../src/Domain/Ids.js"
import { Change, Version } from "../src/Domain/Version.js"
import { HistoryRepo } from "../src/History/Repo.js"
import { changesJson, type RenderedChanges, type RenderedVersion, typedChanges } from "../src/History/Resource.js"
import { KeepVersions } from "../src/History/Retention.js"
import { layerTestDatabase } from "../src/Testing/TestDatabase.js"

/** The repositories on a fresh migrated database, keeping `keep` versions per configuration (0: all). */
export const layerRepos = (keep = 0) =>
  Layer.mergeAll(ApplicationsRepo.Default, ConfigurationsRepo.Default, HistoryRepo.Default).pipe(
    Layer.provide(Layer.succeed(KeepVersions, keep)),
    Layer.provideMerge(layerTestDatabase)
  )

const versionKeys = Object.keys(Version.fields)
const changeKeys = Object.keys(Change.fields)
const strictVersion = Schema.decodeUnknownSync(Schema.parseJson(Version), { onExcessProperty: "error" })
const strictChange = Schema.decodeUnknownSync(Schema.parseJson(Change), { onExcessProperty: "error" })

/** Each rendered version decodes with the domain schema, has exactly its fields in the API's order, and its number. */
export const checkVersions = (rows: ReadonlyArray<RenderedVersion>) =>
  rows.map((row) => {
    const version = strictVersion(row.json)
    if (Object.keys(JSON.parse(row.json)).join() !== versionKeys.join()) throw new Error(`fields of ${row.json}`)
    if (version.version !== row.version) throw new Error(`number of ${row.json}`)
    return version
  })

/** As `checkVersions`, for a page of changes. */
export const checkChanges = (page: RenderedChanges) =>
  page.changes.map((row) => {
    const change = strictChange(row.json)
    if (Object.keys(JSON.parse(row.json)).join() !== changeKeys.join()) throw new Error(`fields of ${row.json}`)
    if (change.revision !== row.revision) throw new Error(`revision of ${row.json}`)
    return change
  })

/** The configurations and history repositories with what they render decoded into domain values. */
export const Typed = Effect.gen(function*() {
  const configurations = yield* ConfigurationsRepo
  const history = yield* HistoryRepo
  return {
    create: (...args: Parameters<typeof configurations.create>) =>
      Configurations.typed.one(configurations.create(...args)),
    update: (...args: Parameters<typeof configurations.update>) =>
      Configurations.typed.one(configurations.update(...args)),
    remove: configurations.remove,
    restore: (...args: Parameters<typeof configurations.restore>) =>
      Effect.flatMap(configurations.restore(...args), ({ configuration, created }) =>
        Effect.map(Configurations.typed.one(Effect.succeed(configuration)), (typed) => ({
          configuration: typed,
          created
        }))),
    versions: (...args: Parameters<typeof history.versions>) => Effect.map(history.versions(...args), checkVersions),
    version: (...args: Parameters<typeof history.version>) =>
      Effect.map(history.version(...args), (row) => checkVersions([row])[0]!),
    changes: (...args: Parameters<typeof history.changes>) =>
      Effect.flatMap(history.changes(...args), (page) => {
        checkChanges(page)
        return typedChanges.one(Effect.succeed({ json: changesJson(page) }))
      })
  }
})

/** Every version row of the application, straight from the table, in revision order. */
export const versionRows = (applicationId: ApplicationId) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ configuration_id: string; version: number; revision: number; op: string; actor: string | null }>`
      SELECT configuration_id, version, revision::int AS revision, op, actor
      FROM configuration_versions WHERE application_id = ${applicationId} ORDER BY revision`)

export const applicationRevision = (applicationId: ApplicationId) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ revision: number; pruned: number }>`
        SELECT revision::int AS revision, pruned_revision::int AS pruned FROM applications WHERE id = ${applicationId}`,
      (rows) => rows[0]!
    ))

export const waitFor = (condition: () => boolean, ms = 10_000) =>
  Effect.promise(async () => {
    const deadline = Date.now() + ms
    while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    return condition()
  })

/**
 * The revisions of the application announced from now on, in the order they arrive:
 * PostgreSQL delivers notifications in commit order.
 */
export const heardRevisions = (applicationId: ApplicationId) =>
  Effect.gen(function*() {
    const feed = yield* ChangeFeed
    if (!(yield* waitFor(() => feed.trusted()))) return yield* Effect.dieMessage("the change feed is not up")
    const heard: Array<number> = []
    yield* feed.subscribe({
      change: (payload) => {
        const change = parseChange(payload)
        if (change?.kind === "revision" && change.applicationId === applicationId) heard.push(change.revision)
      },
      reset: () => {}
    })
    return heard
  })
