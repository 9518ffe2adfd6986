// Scale-out benchmark: the service as deploy/ runs it — three instances behind HAProxy, over
// PgBouncer in transaction mode — against one instance straight on PostgreSQL, with wrk at 32
// connections (as ../shared/bench/compare.sh measures), on the same seeded data:
//   direct    one instance, DATABASE_URL on PostgreSQL: GET configuration, 90/10 mix, PUT
//   balanced  three instances through HAProxy, DATABASE_URL on PgBouncer, DATABASE_LISTEN_URL
//             on PostgreSQL: GET configuration, 90/10 mix
//   pooled    one instance, DATABASE_URL on PgBouncer: PUT (PgBouncer's cost on a write)
// Run: make -C svc bench-scaleout (needs wrk, pgbouncer and haproxy: apt-get install wrk pgbouncer haproxy).
// Knobs: BENCH_DURATION=8 (seconds per run), BENCH_ROUNDS=3 (interleaved; medians reported).
import { execFileSync, spawn } from "node:child_process"
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { freePort, postgres, sleep } from "./postgres.mjs"
import { seed } from "./seed.mjs"
import { startInstance, stopAll } from "./service.mjs"

const svcDir = fileURLToPath(new URL("..", import.meta.url))
const duration = Number(process.env.BENCH_DURATION ?? 8)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const say = (line) => console.log(`bench-scaleout: ${line}`)

const which = (program) => ["/usr/bin", "/usr/sbin", "/usr/local/bin"].map((dir) => path.join(dir, program))
  .find((file) => { try { execFileSync("test", ["-x", file]); return true } catch { return false } })
const tools = { wrk: which("wrk"), pgbouncer: which("pgbouncer"), haproxy: which("haproxy") }
const missing = Object.entries(tools).filter(([, file]) => !file).map(([name]) => name)
if (missing.length > 0) {
  console.error(`bench-scaleout: needs ${missing.join(", ")} (apt-get install ${missing.join(" ")})`)
  process.exit(2)
}

const work = mkdtempSync(path.join(os.tmpdir(), "config-service-scaleout-"))
chmodSync(work, 0o755)
const children = []
let db
const cleanup = async () => {
  for (const child of children) child.kill("SIGTERM")
  await stopAll()
  await db?.stop()
  rmSync(work, { recursive: true, force: true })
}
process.on("SIGINT", () => cleanup().finally(() => process.exit(130)))

/** A program from deploy/ with its `key = value` settings replaced, running until cleanup. */
const run = async (file, args, port) => {
  const child = spawn(file, args, { stdio: ["ignore", "ignore", "pipe"] })
  children.push(child)
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${port}`).then(() => true, (e) => e.cause?.code !== "ECONNREFUSED")
    if (up) return child
    await sleep(100)
  }
  throw new Error(`${file} did not listen on ${port}`)
}

const deployed = (file, settings) =>
  readFileSync(path.join(svcDir, "deploy", file), "utf8").split("\n").map((line) => {
    const key = /^\s*([\w.]+)\s*=/.exec(line)?.[1]
    return key !== undefined && key in settings ? `${key} = ${settings[key]}` : line
  }).join("\n")

const startPgBouncer = async (pgPort) => {
  const port = await freePort()
  writeFileSync(path.join(work, "userlist.txt"), `"postgres" "postgres"\n`)
  writeFileSync(path.join(work, "pgbouncer.ini"), deployed("pgbouncer.ini", {
    config: `host=127.0.0.1 port=${pgPort} dbname=bench`,
    listen_port: String(port),
    auth_file: path.join(work, "userlist.txt")
  }))
  chmodSync(path.join(work, "userlist.txt"), 0o644)
  const asUser = process.getuid?.() === 0 ? ["-u", "postgres"] : []
  await run(tools.pgbouncer, [...asUser, path.join(work, "pgbouncer.ini")], port)
  return `postgres://postgres:postgres@127.0.0.1:${port}/config`
}

const startHaproxy = async (ports) => {
  const port = await freePort()
  const config = readFileSync(path.join(svcDir, "deploy", "haproxy.cfg"), "utf8")
    .replace(/bind 127\.0\.0\.1:8080/, `bind 127.0.0.1:${port}`)
    .replace(/^\s*server .*$\n?/gm, "")
    .concat(ports.map((p, i) => `  server i${i} 127.0.0.1:${p} check\n`).join(""))
  writeFileSync(path.join(work, "haproxy.cfg"), config)
  await run(tools.haproxy, ["-db", "-f", path.join(work, "haproxy.cfg")], port)
  return `http://127.0.0.1:${port}`
}

const lua = {
  get: `local ids = {}
for line in io.lines("ids.txt") do ids[#ids + 1] = line:match("^(%S+)") end
math.randomseed(42)
request = function() return wrk.format("GET", "/api/v1/configurations/" .. ids[math.random(#ids)]) end`,
  put: `local rows = {}
for line in io.lines("ids.txt") do local id, name = line:match("^(%S+) (%S+)$"); rows[#rows + 1] = { id, name } end
math.randomseed(7)
local n = 0
request = function()
  n = n + 1
  local row = rows[math.random(#rows)]
  local kv = {}
  for k = 0, 19 do kv[#kv + 1] = string.format('"key_%d":"v%d-%d"', k, n, k) end
  return wrk.format("PUT", "/api/v1/configurations/" .. row[1], { ["content-type"] = "application/json" },
    string.format('{"name":"%s","config":{%s}}', row[2], table.concat(kv, ",")))
end`
}
lua.mix = lua.put.replace("request = function()\n  n = n + 1", `request = function()
  n = n + 1
  if n % 10 ~= 0 then return wrk.format("GET", "/api/v1/configurations/" .. rows[math.random(#rows)][1]) end`)

const wrk = (base, scenario) => {
  const out = execFileSync(tools.wrk, ["-t1", "-c32", `-d${duration}s`, "--latency", "-s", `${scenario}.lua`, base], { cwd: work })
    .toString()
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0)
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(out)
  const ms = p99 ? Number(p99[1]) * ({ us: 0.001, ms: 1, s: 1000 })[p99[2]] : NaN
  const bad = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0)
  return { rps, p99: ms, bad }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

try {
  db = await postgres(`${svcDir}.data/bench-scaleout-postgres`, "bench")
  await db.start()
  const direct = await startInstance(db.url)
  const data = await seed(db.url, 1000, 10)
  writeFileSync(path.join(work, "ids.txt"), data.configs.map((c) => `${c.id} ${c.name}`).join("\n") + "\n")
  for (const [name, source] of Object.entries(lua)) writeFileSync(path.join(work, `${name}.lua`), source)
  const pooledUrl = await startPgBouncer(db.port)
  const instances = await Promise.all([1, 2, 3].map(() => startInstance(pooledUrl, { env: { DATABASE_LISTEN_URL: db.url } })))
  const balanced = await startHaproxy(instances.map((i) => Number(new URL(i.base).port)))
  const pooled = await startInstance(pooledUrl, { env: { DATABASE_LISTEN_URL: db.url } })
  await sleep(2000)
  say(`PostgreSQL on ${db.port}; direct ${direct.base}; three instances behind ${balanced}; pooled ${pooled.base}`)
  const runs = [
    ["GET configuration", "get", [["direct", direct.base], ["balanced", balanced]]],
    ["90/10 mix", "mix", [["direct", direct.base], ["balanced", balanced]]],
    ["PUT configuration", "put", [["direct", direct.base], ["pooled", pooled.base]]]
  ]
  const results = {}
  for (let round = 1; round <= rounds; round++) {
    for (const [label, scenario, targets] of runs) {
      for (const [target, base] of targets) {
        const r = wrk(base, scenario)
        ;(results[`${label}|${target}`] ??= []).push(r)
        say(`round ${round}: ${label}, ${target}: ${Math.round(r.rps)} req/s, p99 ${r.p99.toFixed(1)} ms, ${r.bad} non-2xx`)
      }
    }
  }
  console.log(`\n${"scenario".padEnd(20)} ${"target".padEnd(9)} ${"req/s".padStart(8)} ${"p99 ms".padStart(8)} ${"non-2xx".padStart(8)}`)
  for (const [key, rs] of Object.entries(results)) {
    const [label, target] = key.split("|")
    const bad = rs.reduce((sum, r) => sum + r.bad, 0)
    console.log(`${label.padEnd(20)} ${target.padEnd(9)} ${String(Math.round(median(rs.map((r) => r.rps)))).padStart(8)} ${median(rs.map((r) => r.p99)).toFixed(1).padStart(8)} ${String(bad).padStart(8)}`)
  }
  console.log(`(medians of ${rounds} interleaved rounds of ${duration} s, wrk at 32 connections, ${os.cpus().length} cores)`)
} catch (error) {
  console.error(`bench-scaleout: failed: ${error?.stack ?? error}`)
  process.exitCode = 1
} finally {
  await cleanup()
}
