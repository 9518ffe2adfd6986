// Instances of the built service for the benchmark: started on a database, each stopped on exit.
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { freePort, sleep, within } from "./postgres.mjs"

const svcDir = fileURLToPath(new URL("..", import.meta.url))
const running = new Set()

/** Peak resident memory of `pid` (VmHWM), null where there is no /proc. */
export const peakRssBytes = (pid) => {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]
    return kb ? Number(kb) * 1024 : null
  } catch {
    return null
  }
}

/** The CPU time (clock ticks) that `pid` has used so far, from /proc; null where there is none. */
export const cpuTicks = (pid) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")
    return Number(fields[11]) + Number(fields[12]) // utime + stime
  } catch {
    return null
  }
}

const stop = async (child) => {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once("exit", resolve))
  child.kill("SIGTERM")
  if (!(await within(15_000, exited))) {
    console.log(`bench: service (pid ${child.pid}) did not stop within 15 s of SIGTERM; killing it`)
    child.kill("SIGKILL")
    await exited
  }
}

/** Stops every instance still running. */
export const stopAll = () => Promise.all([...running].map((instance) => instance.stop()))

/**
 * `node dist/main.js` on `databaseUrl` with the heap bounds of `make -C svc run`, at
 * LOG_LEVEL=warning; resolves once `/health/ready` answers 200. `onExit` hears of an exit
 * that nobody asked for.
 */
export async function startInstance(databaseUrl, { env = {}, onExit } = {}) {
  const port = await freePort()
  const child = spawn(process.execPath, ["--max-old-space-size=160", "--max-semi-space-size=8", "dist/main.js"], {
    cwd: svcDir,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warning", ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let log = ""
  for (const stream of [child.stdout, child.stderr]) {
    stream.on("data", (chunk) => {
      if (log.length < 1e6) log += chunk
    })
  }
  let stopping = false
  const instance = {
    child,
    pid: child.pid,
    base: `http://127.0.0.1:${port}`,
    log: () => log,
    stop: () => {
      stopping = true
      running.delete(instance)
      return stop(child)
    }
  }
  running.add(instance)
  child.once("exit", (code, signal) => {
    running.delete(instance)
    if (!stopping) onExit?.(`${code ?? signal}`, log)
  })
  const started = Date.now()
  while (Date.now() - started < 60_000) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the service exited (${child.exitCode ?? child.signalCode}):\n${log.trim()}`)
    }
    if (await fetch(`${instance.base}/health/ready`).then((r) => r.ok, () => false)) {
      return { ...instance, readyMs: Date.now() - started }
    }
    await sleep(200)
  }
  throw new Error(`the service was not ready within 60 s:\n${log.trim()}`)
}
