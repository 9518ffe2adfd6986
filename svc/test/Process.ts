import { Effect } from "effect"
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import path from "node:path"
import pg from "pg"
import { serviceRoot } from "../src/Settings.js"
import { freePort } from "./Net.js"

/** The built service; `make test` builds it first. */
export const mainJs = path.join(serviceRoot, "dist", "main.js")

/** Builds `dist/` when it is missing (running one test file on a clean checkout). */
export const ensureBuilt = () => {
  if (!existsSync(mainJs)) execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: serviceRoot, stdio: "ignore" })
}

export interface Exit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

export interface Service {
  readonly child: ChildProcess
  readonly pid: number
  readonly port: number
  /** `http://127.0.0.1:<port><path>` */
  readonly url: (path: string) => string
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  readonly output: () => string
  readonly stdout: () => string
  /** Resolves once the process has exited. */
  readonly exited: Promise<Exit>
  readonly running: () => boolean
}

/**
 * `node dist/main.js` with only the given settings (plus PATH/HOME; `HOST` 127.0.0.1 and a
 * free `PORT` unless given, a given `PORT` passed on as it is), killed with SIGKILL at the
 * end of the scope if still running.
 */
export const startService = (env: Record<string, string>) =>
  Effect.gen(function*() {
    const port = env.PORT === undefined ? yield* freePort : Number(env.PORT)
    return yield* Effect.acquireRelease(
      Effect.sync((): Service => {
        const child = spawn(process.execPath, [mainJs], {
          cwd: serviceRoot,
          env: {
            PATH: process.env.PATH ?? "/usr/bin:/bin",
            HOME: process.env.HOME ?? "/root",
            HOST: "127.0.0.1",
            ...env,
            PORT: env.PORT ?? String(port)
          },
          stdio: ["ignore", "pipe", "pipe"]
        })
        let output = ""
        let stdout = ""
        child.stdout!.on("data", (chunk: Buffer) => {
          output += chunk.toString("utf8")
          stdout += chunk.toString("utf8")
        })
        child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
        const exited = new Promise<Exit>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })))
        return {
          child,
          pid: child.pid!,
          port,
          url: (p) => `http://127.0.0.1:${port}${p}`,
          output: () => output,
          stdout: () => stdout,
          exited,
          running: () => child.exitCode === null && child.signalCode === null
        }
      }),
      (service) =>
        Effect.promise(async () => {
          if (service.running()) {
            service.child.kill("SIGKILL")
            await service.exited
          }
        })
    )
  })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits for the process to exit, failing (with its output) after `ms`. */
export const exitWithin = (service: Service, ms: number) =>
  Effect.tryPromise({
    try: () => {
      let timer: NodeJS.Timeout | undefined
      return Promise.race([
        service.exited.finally(() => clearTimeout(timer)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`pid ${service.pid} did not exit within ${ms} ms; output:\n${service.output()}`)),
            ms
          )
        })
      ])
    },
    catch: (error) => error as Error
  })

/**
 * Polls `/health/ready` until it answers 200; fails with the process output when it exits
 * first or `timeoutMs` passes.
 */
export const waitReady = (service: Service, timeoutMs = 30_000) =>
  Effect.tryPromise({
    try: async () => {
      const deadline = Date.now() + timeoutMs
      let last = "no answer"
      while (Date.now() < deadline) {
        if (!service.running()) {
          throw new Error(`pid ${service.pid} exited (${service.child.exitCode ?? service.child.signalCode}) before ready`)
        }
        try {
          const response = await fetch(service.url("/health/ready"), { signal: AbortSignal.timeout(2_000) })
          if (response.status === 200) return
          last = `${response.status} ${await response.text()}`
        } catch (cause) {
          last = String(cause)
        }
        await sleep(50)
      }
      throw new Error(`never ready (last: ${last})`)
    },
    catch: (error) => new Error(`${error instanceof Error ? error.message : String(error)}\noutput:\n${service.output()}`)
  })

/** SIGTERM, then the exit (failing after `ms`). */
export const stopService = (service: Service, ms = 15_000) =>
  Effect.suspend(() => {
    if (service.running()) service.child.kill("SIGTERM")
    return exitWithin(service, ms)
  })

/**
 * A temporary folder `config-service-<prefix>-…`, removed with the scope. Unless `reachable` is
 * false it is opened to the `postgres` user (PostgreSQL runs as that user under root).
 */
export const tempDir = (prefix: string, options: { readonly reachable?: boolean } = {}) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const dir = await mkdtemp(path.join(tmpdir(), `config-service-${prefix}-`))
      if (options.reachable ?? true) await chmod(dir, 0o755)
      return dir
    }),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )

export const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Whether `pid` still runs (a zombie waiting to be reaped does not). */
export const isRunning = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z"
  } catch {
    return false
  }
}

/**
 * The pids among `pids` that still exist after waiting up to `ms` for them to go. A zombie
 * not yet reaped counts: PostgreSQL takes its pid in `postmaster.pid` for a live server.
 */
export const stillPresentAfter = (pids: ReadonlyArray<number>, ms: number) =>
  Effect.promise(async () => {
    const deadline = Date.now() + ms
    while (pids.some(isAlive) && Date.now() < deadline) await sleep(20)
    return pids.filter(isAlive)
  })

/** Pids of live (not zombie) PostgreSQL server processes started with `-D <dataDir>`. */
export const postgresProcessesFor = (dataDir: string) =>
  readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")
      const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0]
      return state !== "Z" && cmdline.includes(dataDir) && cmdline.some((arg) => arg.endsWith("postgres"))
    } catch {
      return false
    }
  })

/** The running postmaster of `dataDir` from its `postmaster.pid` (pid on line 1, port on line 4). */
export const postmasterOf = (dataDir: string) => {
  try {
    const lines = readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")
    return { pid: Number(lines[0]), port: Number(lines[3]) }
  } catch {
    return undefined
  }
}

/**
 * Stops whatever PostgreSQL is left on `dataDir` (SIGINT, then SIGKILL after 10 s) and
 * returns the pids it found, so a test can fail on leftovers after cleaning them up.
 */
export const killLeftoverPostgres = (dataDir: string) =>
  Effect.promise(async () => {
    const found = postgresProcessesFor(dataDir)
    for (const pid of found) {
      try {
        process.kill(pid, "SIGINT")
      } catch {
        continue
      }
      for (let waited = 0; isAlive(pid) && waited < 100; waited++) await sleep(100)
      if (isAlive(pid)) process.kill(pid, "SIGKILL")
    }
    return found
  })

/** Runs one statement on its own connection. */
export const query = <A extends object = Record<string, unknown>>(
  url: string,
  text: string,
  values: ReadonlyArray<unknown> = []
) =>
  Effect.tryPromise({
    try: async () => {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 })
      await client.connect()
      try {
        return (await client.query(text, values as Array<unknown>)).rows as Array<A>
      } finally {
        await client.end()
      }
    },
    catch: (error) => error as Error
  })

/** Pids of every live descendant of `pid` (children, their children, …), from `/proc/<pid>/stat`. */
export const descendantsOf = (pid: number): Array<number> => {
  const parents = new Map<number, Array<number>>()
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ")
      if (fields[0] === "Z") continue
      const parent = Number(fields[1])
      parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)])
    } catch {
      continue
    }
  }
  const found: Array<number> = []
  const visit = (p: number) => {
    for (const child of parents.get(p) ?? []) {
      found.push(child)
      visit(child)
    }
  }
  visit(pid)
  return found
}
