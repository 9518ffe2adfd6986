import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { writeFileSync } from "node:fs"
import path from "node:path"
import { isAlive, tempDir } from "../../test/Process.js"
import { stopLeftover } from "./LeftoverPostgres.js"

it.scoped("only a PostgreSQL server left running is stopped: no pid file, a dead pid or another program change nothing", () =>
  Effect.gen(function*() {
    const dir = yield* tempDir("leftover")
    yield* stopLeftover(dir)
    for (const pid of ["999999999", "not a pid", String(process.pid)]) {
      writeFileSync(path.join(dir, "postmaster.pid"), `${pid}\n${dir}\n`)
      yield* stopLeftover(dir)
    }
    expect(isAlive(process.pid)).toBe(true)
  }))
