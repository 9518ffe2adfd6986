import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { readFileSync } from "node:fs"
import { connect, makeMigrator, migrationsFolder, writeFiles } from "../../test/Migrations.js"
import { freshDatabase } from "../Testing/TestDatabase.js"

const migration = (file: string) => readFileSync(new URL(`../../migrations/${file}`, import.meta.url), "utf8")

const before = ["0001_initial_schema.sql", "0002_timestamps_and_versions.sql", "0003_change_notifications.sql"]
const history = "0004_configuration_history.sql"

/** A ULID-shaped id: its first character, then `n` in hexadecimal (a subset of Crockford base32). */
const ulid = (first: string, n: string) => `'${first}' || upper(lpad(to_hex(${n}), 25, '0'))`

it.scoped("0004 on 10,000 existing configurations: one version each, revisions 1..n per application by creation", () =>
  Effect.gen(function*() {
    const url = yield* freshDatabase
    const dir = yield* migrationsFolder(Object.fromEntries(before.map((file) => [file, migration(file)])))
    expect(yield* Effect.flatMap(makeMigrator(url, dir), (migrator) => migrator.up)).toEqual(before)
    const sql = yield* connect(url)
    yield* sql.unsafe(`
      INSERT INTO applications (id, name) SELECT ${ulid("0", "g")}, 'app-' || g FROM generate_series(1, 41) g;
      INSERT INTO configurations (id, application_id, name, comments, config, created_at, updated_at, version)
      SELECT ${ulid("1", "g")}, ${ulid("0", "1 + g % 40")}, 'cfg-' || g, CASE WHEN g % 3 = 0 THEN 'c' || g END,
             jsonb_build_object('g', g), timestamptz '2024-01-01' + (g % 97) * interval '1 minute',
             timestamptz '2024-06-01' + g * interval '1 second', 1 + g % 5
      FROM generate_series(10000, 1, -1) g`)

    yield* writeFiles(dir, { [history]: migration(history) })
    const started = performance.now()
    expect(yield* Effect.flatMap(makeMigrator(url, dir), (migrator) => migrator.up)).toEqual([history])
    const seconds = (performance.now() - started) / 1000
    console.log(`0004 backfilled 10,000 configurations in ${seconds.toFixed(2)} s`)
    expect(seconds).toBeLessThan(30)

    const [mismatches] = yield* sql<{ versions: number; other: number; misnumbered: number }>`
      SELECT count(*)::int AS versions,
             count(*) FILTER (WHERE v.version <> c.version OR v.op <> 'create' OR v.actor IS NOT NULL
               OR v.created_at <> c.updated_at OR v.name <> c.name OR v.comments IS DISTINCT FROM c.comments
               OR v.config <> c.config OR v.application_id <> c.application_id)::int AS other,
             count(*) FILTER (WHERE v.revision <> c.position)::int AS misnumbered
      FROM (SELECT c.*, row_number() OVER (PARTITION BY c.application_id ORDER BY c.created_at, c.id) AS position
            FROM configurations c) c
      JOIN configuration_versions v ON v.configuration_id = c.id`
    expect(mismatches).toEqual({ versions: 10_000, other: 0, misnumbered: 0 })
    // Creation times repeat within an application (g, g + 3880, g + 7760): the id breaks the tie.
    const [ties] = yield* sql<{ n: number }>`
      SELECT count(*)::int AS n
      FROM (SELECT 1 FROM configurations GROUP BY application_id, created_at HAVING count(*) > 1) t`
    expect(ties!.n).toBeGreaterThan(0)
    const applications = yield* sql<{ name: string; revision: number; configurations: number; pruned: number }>`
      SELECT a.name, a.revision::int AS revision, a.pruned_revision::int AS pruned,
             (SELECT count(*)::int FROM configurations c WHERE c.application_id = a.id) AS configurations
      FROM applications a ORDER BY a.id`
    expect(applications.every((a) => a.revision === a.configurations && a.pruned === 0)).toBe(true)
    expect(applications.at(-1)).toEqual({ name: "app-41", revision: 0, configurations: 0, pruned: 0 })
    expect(applications.reduce((sum, a) => sum + a.revision, 0)).toBe(10_000)
  }), { timeout: 120_000 })
