// The overload scenario: what clients get when four times more requests arrive than the
// service can answer. First it measures the rate the service sustains on a mix of writes
// contending on four rows and reads (32 connections, closed loop); then it offers four times
// that rate, open loop, over 256 connections (far more than the database pool), and sorts
// every answer. Allowed: 2xx, 412 (a write with a stale If-Match) and a 503 `ServiceBusy`
// with Retry-After. Anything else, a 503 `DatabaseUnavailable` (the database answers all
// along) and a request with no answer within 30 s (a hang) are counted as failures.
import autocannon from "autocannon"
import { configBody } from "./seed.mjs"

const hotRows = 4
const overloadConnections = 256
const factor = 4
const hangSeconds = 30

const pick = (items) => items[Math.floor(Math.random() * items.length)]

const quantile = (sorted, q) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))])

async function staleTags(base, hot) {
  const tags = []
  for (const { id } of hot) {
    const res = await fetch(`${base}/api/v1/configurations/${id}`)
    await res.arrayBuffer()
    tags.push(res.headers.get("etag"))
  }
  return tags
}

function mix(hot, tags, configs) {
  return (n) => {
    const row = n % hotRows
    const { id, name } = hot[row]
    const put = (headers) => ({
      method: "PUT",
      path: `/api/v1/configurations/${id}`,
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ name, comments: `overload ${n}`, config: configBody(n) })
    })
    switch (n % 4) {
      case 0:
        return put({})
      case 1:
        return put({ "if-match": tags[row] }) // stale after the first write to the row: 412
      default:
        return { method: "GET", path: `/api/v1/configurations/${pick(configs).id}` }
    }
  }
}

function run(base, next, options, record) {
  let n = 0
  const instance = autocannon({
    url: base,
    timeout: hangSeconds,
    ...options,
    requests: [{
      setupRequest: (request) => ({ ...request, ...next(++n) }),
      onResponse: (status, body, _context, headers) => record?.answer(status, body, headers)
    }]
  })
  if (record) instance.on("response", (_client, status, _bytes, ms) => record.latency(status, ms))
  return instance
}

function tally() {
  const statuses = {}
  const busy = { withRetryAfter: 0, withoutRetryAfter: 0 }
  const refusals = {}
  const latencies = { ok: [], busy: [] }
  return {
    statuses,
    busy,
    refusals,
    latencies,
    answer(status, body, headers) {
      statuses[status] = (statuses[status] ?? 0) + 1
      if (status !== 503) return
      let tag = "unreadable"
      try {
        tag = JSON.parse(body)._tag ?? "untagged"
      } catch {}
      refusals[tag] = (refusals[tag] ?? 0) + 1
      const retryAfter = headers["retry-after"] ?? headers["Retry-After"]
      if (retryAfter === undefined) busy.withoutRetryAfter++
      else busy.withRetryAfter++
    },
    latency(status, ms) {
      if (status >= 200 && status < 300) latencies.ok.push(ms)
      else if (status === 503) latencies.busy.push(ms)
    }
  }
}

export async function overloadScenario({ base, data, seconds, say }) {
  const hot = data.configs.slice(0, hotRows)
  const tags = await staleTags(base, hot)
  const next = mix(hot, tags, data.configs)

  say(`overload: the rate sustained on writes to ${hotRows} rows and reads, 32 connections, ${seconds} s …`)
  const sustained = await run(base, next, { connections: 32, duration: seconds })
  const rate = Math.max(1, Math.round(sustained.requests.average))
  say(`overload: sustained ${rate} req/s; now ${factor}× that, ${factor * rate} req/s offered over ${overloadConnections} connections, ${seconds} s …`)

  const record = tally()
  const offered = await run(base, next, { connections: overloadConnections, overallRate: factor * rate, duration: seconds }, record)
  const ok = record.latencies.ok.sort((a, b) => a - b)
  const shed = record.latencies.busy.sort((a, b) => a - b)
  const allowed = Object.entries(record.statuses)
    .filter(([code]) => (code >= 200 && code < 300) || code === "412" || code === "503")
    .reduce((sum, [, count]) => sum + count, 0)
  const answered = Object.values(record.statuses).reduce((sum, count) => sum + count, 0)
  const result = {
    sustainedRequestsPerSecond: rate,
    offeredRequestsPerSecond: factor * rate,
    connections: overloadConnections,
    answeredRequestsPerSecond: Math.round(offered.requests.average),
    statuses: record.statuses,
    refusals503: record.refusals,
    busyWithRetryAfter: record.busy.withRetryAfter,
    busyWithoutRetryAfter: record.busy.withoutRetryAfter,
    databaseUnavailable: record.refusals.DatabaseUnavailable ?? 0,
    disallowed: answered - allowed,
    hangs: offered.timeouts,
    socketErrors: offered.errors - offered.timeouts,
    successLatencyMs: { p50: quantile(ok, 0.5), p99: quantile(ok, 0.99), max: ok.at(-1) ?? null },
    busyLatencyMs: { p50: quantile(shed, 0.5), p99: quantile(shed, 0.99), max: shed.at(-1) ?? null }
  }
  say(`overload: ${JSON.stringify(result.statuses)}; 503s ${JSON.stringify(result.refusals503)} ` +
    `(${result.busyWithoutRetryAfter} without Retry-After); ${result.hangs} hangs, ${result.socketErrors} socket errors`)
  say(`overload: p50/p99 of the 2xx ${result.successLatencyMs.p50}/${result.successLatencyMs.p99} ms; ` +
    `of the 503s ${result.busyLatencyMs.p50}/${result.busyLatencyMs.p99} ms`)
  return result
}
