// The benchmark's data: applications × configurations written straight into the service's
// tables (after it migrated them) in one transaction, and the 20-key config bodies.
import pg from "pg"
import { ulid } from "ulid"

/** 20 keys, a third each strings, numbers and small nested objects. */
export const configBody = (n) =>
  Object.fromEntries(
    Array.from({ length: 20 }, (_, k) => [
      `key_${k}`,
      k % 3 === 0 ? `value-${n}-${k}` : k % 3 === 1 ? n * k : { nested: true, n: k, at: n }
    ])
  )

/** Seeds `apps` applications with `perApp` configurations each; returns their ids and names. */
export async function seed(url, apps, perApp) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const appIds = []
  const configs = [] // { id, name }: a PUT keeps the name, so it never collides (409)
  try {
    await client.query("BEGIN")
    for (let a = 0; a < apps; a++) {
      const appId = ulid()
      appIds.push(appId)
      await client.query("INSERT INTO applications (id, name, comments) VALUES ($1, $2, $3)", [
        appId,
        `bench-app-${a}`,
        `application number ${a}`
      ])
      const rows = []
      const values = []
      for (let k = 0; k < perApp; k++) {
        const config = { id: ulid(), name: `config-${k}`, appId }
        configs.push(config)
        values.push(config.id, appId, config.name, `configuration ${k} of app ${a}`, JSON.stringify(configBody(a * perApp + k)))
        const p = k * 5
        rows.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::jsonb)`)
      }
      await client.query(`INSERT INTO configurations (id, application_id, name, comments, config) VALUES ${rows.join(", ")}`, values)
    }
    await client.query("COMMIT")
    await client.query("ANALYZE applications, configurations") // planner statistics, as a live database has
  } finally {
    await client.end()
  }
  return { appIds, configs }
}
