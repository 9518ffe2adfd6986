// The watch scenario: 1,000 open streams over 10 applications, 50 writes/s for 30 s; delivery
// latency from a write's acknowledgement to each stream's receipt (p50/p99), with the streams on
// the instance written to and on a second one; the RSS of the instance holding 1,000 streams and
// the database connections it holds meanwhile (none per stream).
// Knobs: BENCH_WATCH_STREAMS=1000 BENCH_WATCH_RATE=50 (writes/s) BENCH_WATCH_DURATION=30 (seconds)
import { request } from "node:http"
import { readFileSync } from "node:fs"
import pg from "pg"
import { configBody } from "./seed.mjs"
import { sleep } from "./postgres.mjs"

const STREAMS = Number(process.env.BENCH_WATCH_STREAMS ?? 1000)
const RATE = Number(process.env.BENCH_WATCH_RATE ?? 50)
const DURATION = Number(process.env.BENCH_WATCH_DURATION ?? 30)
const APPS = 10

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]
const ms = (value) => Math.round(value * 10) / 10

const rssBytes = (pid) => {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]
  return kb ? Number(kb) * 1024 : null
}

/** One stream; `onChange(configurationId, version, at)` for each change event. */
function openStream(base, appId, onChange) {
  return new Promise((resolve, reject) => {
    const url = new URL(`/api/v1/applications/${appId}/watch`, base)
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, agent: false })
    req.once("error", reject)
    req.once("response", (res) => {
      if (res.statusCode !== 200) return reject(new Error(`watch ${appId}: ${res.statusCode}`))
      let buffer = ""
      res.setEncoding("utf8")
      res.on("data", (chunk) => {
        const at = performance.now()
        buffer += chunk
        let end
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          if (!block.includes("event: change")) continue
          const data = JSON.parse(block.slice(block.indexOf("data: ") + 6))
          onChange(data.configuration_id, data.version, at)
        }
      })
      res.on("error", () => {})
      resolve(() => req.destroy())
    })
    req.end()
  })
}

async function put(base, { id, name }, n) {
  const response = await fetch(`${base}/api/v1/configurations/${id}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, config: configBody(n) })
  })
  const body = await response.json()
  if (!response.ok) throw new Error(`PUT ${id}: ${response.status} ${JSON.stringify(body)}`)
  return body.version
}

/** The service's connections to PostgreSQL by state (`pg_stat_activity`), and its change-feed connections. */
async function connections(dbUrl) {
  const client = new pg.Client({ connectionString: dbUrl })
  await client.connect()
  try {
    const { rows } = await client.query(`
      SELECT application_name, coalesce(state, '') AS state, count(*)::int AS n
      FROM pg_stat_activity WHERE application_name LIKE 'config-service%' AND datname = current_database()
      GROUP BY 1, 2 ORDER BY 1, 2`)
    return rows.map((row) => `${row.application_name}/${row.state}: ${row.n}`).join(", ")
  } finally {
    await client.end()
  }
}

/**
 * Streams on `watched`, writes through `written`: `STREAMS` streams over `APPS` applications,
 * `RATE` writes/s for `DURATION` s; latency percentiles over every (write, stream) delivery.
 */
async function run({ written, watched, dbUrl, appIds, configs, say, label }) {
  const apps = appIds.slice(0, APPS)
  const acknowledged = new Map() // `${configurationId}:${version}` → when its PUT was answered
  const received = [] // [key, at]
  const closers = []
  for (let i = 0; i < STREAMS; i++) {
    closers.push(await openStream(watched.base, apps[i % APPS], (id, version, at) => received.push([`${id}:${version}`, at])))
  }
  say(`watch ${label}: ${STREAMS} streams open on pid ${watched.pid}; ${RATE} writes/s for ${DURATION} s through pid ${written.pid} …`)
  const targets = apps.flatMap((_, a) => configs.slice(a * 10, a * 10 + 10))
  const pending = []
  let n = 0
  let pool = ""
  const failed = []
  const started = performance.now()
  while (n < RATE * DURATION) {
    const due = started + (n * 1000) / RATE
    if (due > performance.now()) await sleep(due - performance.now())
    const target = targets[n % targets.length]
    pending.push(
      put(written.base, target, 2_000_000 + n)
        .then((version) => acknowledged.set(`${target.id}:${version}`, performance.now()))
        .catch((error) => failed.push(`${error.message}${error.cause ? ` (${error.cause.code ?? error.cause.message})` : ""}`))
    )
    if (n === Math.floor((RATE * DURATION) / 2)) pool = await connections(dbUrl)
    n++
  }
  await Promise.all(pending)
  const expected = (n - failed.length) * (STREAMS / APPS)
  for (let waited = 0; received.length < expected && waited < 100; waited++) await sleep(100)
  const rss = rssBytes(watched.pid)
  closers.forEach((close) => close())
  const lags = received.map(([key, at]) => Math.max(0, at - acknowledged.get(key))).filter((lag) => !Number.isNaN(lag))
  const sorted = lags.sort((a, b) => a - b)
  return {
    streams: STREAMS,
    writes: n,
    failedWrites: failed.length,
    firstFailures: failed.slice(0, 3),
    deliveries: received.length,
    expectedDeliveries: expected,
    latencyMs: { p50: ms(percentile(sorted, 50)), p99: ms(percentile(sorted, 99)), max: ms(sorted[sorted.length - 1]) },
    watchedRssMiB: rss === null ? null : Math.round(rss / 1024 ** 2),
    connectionsMidRun: pool
  }
}

const failures = (result) =>
  result.failedWrites === 0 ? "" : `; ${result.failedWrites} writes failed: ${result.firstFailures.join("; ")}`

/** Both runs: streams on the instance written to, then on a second instance started for it. */
export async function watchScenario({ service, dbUrl, data, startInstance, onExit, say }) {
  const one = await run({ written: service, watched: service, dbUrl, ...data, say, label: "one instance" })
  say(`watch one instance: p50 ${one.latencyMs.p50} ms, p99 ${one.latencyMs.p99} ms, RSS ${one.watchedRssMiB} MiB; ${one.connectionsMidRun}${failures(one)}`)
  const second = await startInstance(dbUrl, { onExit })
  try {
    const two = await run({ written: service, watched: second, dbUrl, ...data, say, label: "two instances" })
    say(`watch two instances: p50 ${two.latencyMs.p50} ms, p99 ${two.latencyMs.p99} ms, RSS ${two.watchedRssMiB} MiB${failures(two)}`)
    return { oneInstance: one, twoInstances: two }
  } finally {
    await second.stop()
  }
}
