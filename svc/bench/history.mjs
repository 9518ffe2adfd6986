// The benchmark's history scenarios and their data: applications of their own, whose
// configurations have 100 versions each, written straight into the tables as the service
// would have (versions 1..100 per configuration, revisions 1..n per application in the order
// the versions were written). The other scenarios never write to them.
import pg from "pg"
import { ulid } from "ulid"
import { configBody } from "./seed.mjs"

const APPS = 10
const CONFIGS_PER_APP = 10
const VERSIONS = 100
const PAGE = 100

/** Seeds the history applications; returns their ids, their configurations' ids and each application's revision. */
export async function seedHistory(url) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const apps = []
  try {
    await client.query("BEGIN")
    for (let a = 0; a < APPS; a++) {
      const app = { id: ulid(), configs: [], revision: CONFIGS_PER_APP * VERSIONS }
      apps.push(app)
      await client.query("INSERT INTO applications (id, name, revision) VALUES ($1, $2, $3)", [
        app.id,
        `bench-history-app-${a}`,
        app.revision
      ])
      for (let k = 0; k < CONFIGS_PER_APP; k++) {
        const id = ulid()
        app.configs.push(id)
        const last = JSON.stringify(configBody(VERSIONS))
        await client.query(
          `INSERT INTO configurations (id, application_id, name, comments, config, version)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
          [id, app.id, `history-${k}`, `version ${VERSIONS}`, last, VERSIONS]
        )
        // Version v of configuration k is the application's revision (v - 1) × configurations + k + 1.
        const configs = Array.from({ length: VERSIONS }, (_, v) => JSON.stringify(configBody(v + 1)))
        await client.query(
          `INSERT INTO configuration_versions
             (application_id, configuration_id, version, revision, op, name, comments, config, actor)
           SELECT $1, $2, v, (v - 1) * $3 + $4, CASE WHEN v = 1 THEN 'create' ELSE 'update' END,
                  $5, 'version ' || v, (($6::text[])[v])::jsonb, 'bench'
           FROM generate_series(1, $7::int) v`,
          [app.id, id, CONFIGS_PER_APP, k + 1, `history-${k}`, configs, VERSIONS]
        )
      }
    }
    await client.query("COMMIT")
    await client.query("ANALYZE applications, configurations, configuration_versions")
  } finally {
    await client.end()
  }
  return { apps, versions: APPS * CONFIGS_PER_APP * VERSIONS }
}

const pick = (items) => items[Math.floor(Math.random() * items.length)]

/** The scenarios, as `run.mjs` takes them: `next(n)` gives the n-th request. */
export function historyScenarios({ apps }) {
  const configs = apps.flatMap((app) => app.configs)
  return [
    {
      name: "versions",
      what: `GET /configurations/{id}/versions?limit=${PAGE} (${VERSIONS} versions of 20 keys)`,
      next: () => ({ path: `/api/v1/configurations/${pick(configs)}/versions?limit=${PAGE}` })
    },
    {
      name: "changes",
      what: `GET /applications/{id}/changes?after=<random revision>&limit=${PAGE}`,
      next: () => {
        const app = pick(apps)
        const after = Math.floor(Math.random() * (app.revision - PAGE))
        return { path: `/api/v1/applications/${app.id}/changes?after=${after}&limit=${PAGE}` }
      }
    }
  ]
}
