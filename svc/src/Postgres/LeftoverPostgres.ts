import * as Effect from "effect/Effect"
import { existsSync, readFileSync } from "node:fs"
import path from "node:path"
import { EmbeddedPostgresError } from "./PostgresBinaries.js"

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const readProc = (pid: number, file: string) => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8")
  } catch {
    return ""
  }
}

/** The parent of `pid`, from `/proc/<pid>/stat` (the field after the parenthesised command name). */
const parentOf = (pid: number) => Number(readProc(pid, "stat").split(") ")[1]?.split(" ")[1])

/**
 * A server left running by a service that was killed (`kill -9`) still holds the data
 * directory. Stop it (fast shutdown: open transactions roll back, committed ones stay) so
 * this process can start its own. A server whose Node.js parent still runs is in use by
 * another instance, and is left alone.
 */
export const stopLeftover = (dataDir: string) =>
  Effect.gen(function*() {
    const pidFile = path.join(dataDir, "postmaster.pid")
    if (!existsSync(pidFile)) return
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0])
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !readProc(pid, "cmdline").includes("postgres")) return
    const parent = parentOf(pid)
    if (parent > 1 && readProc(parent, "cmdline").includes("node")) {
      return yield* new EmbeddedPostgresError({
        message: `the embedded database in ${dataDir} is in use by another process (pid ${parent}); ` +
          `stop it first, or point DATABASE_URL at a server`
      })
    }
    yield* Effect.logWarning(`stopping the PostgreSQL server (pid ${pid}) left running on ${dataDir}`)
    process.kill(pid, "SIGINT")
    for (let waited = 0; isAlive(pid) && waited < 300; waited++) yield* Effect.sleep("100 millis")
    if (isAlive(pid)) {
      return yield* new EmbeddedPostgresError({
        message: `a PostgreSQL server (pid ${pid}) still holds ${dataDir} and did not stop`
      })
    }
  })
