import { Effect, Exit, Logger, Redacted, Scope } from "effect"
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import path from "node:path"
import { startEmbeddedPostgres } from "../src/Postgres/EmbeddedPostgres.js"

/** One embedded PostgreSQL 16 for the whole run; each test file makes its own database on it. */
export default async function setup() {
  const base = await mkdtemp(path.join(tmpdir(), "config-service-test-"))
  await chmod(base, 0o755)
  const scope = Effect.runSync(Scope.make())
  const running = await Effect.runPromise(
    startEmbeddedPostgres(path.join(base, "data")).pipe(Scope.extend(scope), Effect.provide(Logger.remove(Logger.defaultLogger)))
  )
  process.env.TEST_DATABASE_URL = Redacted.value(running.url)
  return async () => {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    await rm(base, { recursive: true, force: true })
  }
}
