import { Effect, Exit, Logger, Redacted, Scope } from "effect"
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import path from "node:path"
import { startEmbeddedPostgres } from "../src/Postgres/EmbeddedPostgres.js"
import { makeMigratedTemplate } from "../src/Testing/TestDatabase.js"

/**
 * One embedded PostgreSQL 16 for the whole run; each test file makes its own databases on it,
 * migrated ones as copies of a template migrated here once.
 */
export default async function setup() {
  const base = await mkdtemp(path.join(tmpdir(), "config-service-test-"))
  await chmod(base, 0o755)
  const scope = Effect.runSync(Scope.make())
  const quiet = Logger.remove(Logger.defaultLogger)
  const started = Effect.gen(function*() {
    const running = yield* startEmbeddedPostgres(path.join(base, "data"))
    return { url: Redacted.value(running.url), template: yield* makeMigratedTemplate(running.url) }
  })
  const { template, url } = await Effect.runPromise(
    started.pipe(Scope.extend(scope), Effect.onError(() => Scope.close(scope, Exit.void)), Effect.provide(quiet))
  )
  process.env.TEST_DATABASE_URL = url
  process.env.TEST_TEMPLATE_DATABASE = template
  return async () => {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    await rm(base, { recursive: true, force: true })
  }
}
