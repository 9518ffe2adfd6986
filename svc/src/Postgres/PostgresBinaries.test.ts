import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { existsSync, readdirSync, readlinkSync } from "node:fs"
import { mkdir, symlink, writeFile } from "node:fs/promises"
import path from "node:path"
import { tempDir } from "../../test/Process.js"
import { type Binaries, canReach, reachableBinaries, runAs } from "./PostgresBinaries.js"

/** A stand-in for the installed binaries: `native/bin/{initdb,postgres}` and a library link, under `dir`. */
const fakeInstall = (dir: string) =>
  Effect.promise(async (): Promise<Binaries> => {
    const native = path.join(dir, "native")
    await mkdir(path.join(native, "bin"), { recursive: true })
    await mkdir(path.join(native, "lib"), { recursive: true })
    for (const name of ["initdb", "postgres"]) await writeFile(path.join(native, "bin", name), "#!/bin/sh\n", { mode: 0o755 })
    await writeFile(path.join(native, "lib", "libpq.so.5.16"), "")
    await symlink("libpq.so.5.16", path.join(native, "lib", "libpq.so.5"))
    return { initdb: path.join(native, "bin", "initdb"), postgres: path.join(native, "bin", "postgres"), version: "16.0-test" }
  })

describe("PostgresBinaries", () => {
  it.scoped("binaries the postgres user cannot reach are copied once where it can, links and all", () =>
    Effect.gen(function*() {
      const user = yield* runAs
      const hidden = yield* tempDir("binaries", { reachable: false })
      const home = path.join(yield* tempDir("binaries-home"), "config-service")
      const installed = yield* fakeInstall(hidden)
      const [first, second] = yield* Effect.promise(() =>
        Promise.all([reachableBinaries(installed, user, home), reachableBinaries(installed, user, home)])
      )
      expect(second).toEqual(first)
      if (user === undefined) {
        // Not root: PostgreSQL runs as this user, who reaches its own folders.
        expect(first).toEqual(installed)
        return
      }
      expect(yield* Effect.promise(() => canReach(path.dirname(installed.postgres), user))).toBe(false)
      expect(first.postgres).toBe(path.join(home, `postgresql-16.0-test-${process.platform}-${process.arch}`, "bin", "postgres"))
      expect(first.initdb).toBe(path.join(path.dirname(first.postgres), "initdb"))
      expect(yield* Effect.promise(() => canReach(path.dirname(first.postgres), user))).toBe(true)
      expect(readlinkSync(path.join(path.dirname(first.postgres), "..", "lib", "libpq.so.5"))).toBe("libpq.so.5.16")
      expect(readdirSync(home)).toEqual([`postgresql-16.0-test-${process.platform}-${process.arch}`])
    }))

  it.scoped("binaries the user can reach are run in place", () =>
    Effect.gen(function*() {
      const user = yield* runAs
      const open = yield* tempDir("binaries")
      const home = path.join(open, "home")
      const installed = yield* fakeInstall(open)
      expect(yield* Effect.promise(() => reachableBinaries(installed, user, home))).toEqual(installed)
      expect(existsSync(home)).toBe(false)
    }))
})
