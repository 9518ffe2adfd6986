// How soon a write through one instance is read through another that had the old value cached.
import { configBody } from "./seed.mjs"

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]

const json = async (url, init) => {
  const response = await fetch(url, init)
  if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${url}: ${response.status} ${await response.text()}`)
  return response.json()
}

/**
 * `rounds` times: read a configuration through `reader` (so it caches it), PUT a new value
 * through `writer`, then read through `reader` back to back until the new value shows; the
 * time from the PUT's answer to that read's answer, p50/p99/max in ms.
 */
export async function crossInstanceVisibility(writer, reader, configs, rounds = 200) {
  const lags = []
  for (let round = 0; round < rounds; round++) {
    const { id, name } = configs[round % configs.length]
    const url = (base) => `${base}/api/v1/configurations/${id}`
    await json(url(reader.base))
    const written = await json(url(writer.base), {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name, config: configBody(1_000_000 + round) })
    })
    const acknowledged = performance.now()
    for (;;) {
      const read = await json(url(reader.base))
      if (read.version >= written.version) break
      if (performance.now() - acknowledged > 10_000) throw new Error(`${id}: version ${written.version} not read within 10 s`)
    }
    lags.push(performance.now() - acknowledged)
  }
  const sorted = lags.sort((a, b) => a - b)
  const ms = (value) => Math.round(value * 10) / 10
  return { rounds, p50: ms(percentile(sorted, 50)), p99: ms(percentile(sorted, 99)), max: ms(sorted[sorted.length - 1]) }
}
