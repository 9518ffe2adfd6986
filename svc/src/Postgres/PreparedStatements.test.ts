import { expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import pg from "pg"
import { freshDatabase } from "../Testing/TestDatabase.js"
import { PreparingClient, statementName } from "./PreparedStatements.js"

/** One connection of a pool of `PreparingClient`s on a fresh database, closed with the test's scope. */
const connection = Effect.gen(function*() {
  const url = yield* freshDatabase
  const pool = new pg.Pool({ connectionString: Redacted.value(url), max: 1, Client: PreparingClient })
  yield* Effect.addFinalizer(() => Effect.promise(() => pool.end()))
  const query = <Row extends pg.QueryResultRow>(text: string, values?: Array<unknown>) =>
    Effect.promise(() =>
      new Promise<Array<Row>>((resolve, reject) =>
        pool.query<Row>(text, values ?? [], (error, result) => error ? reject(error) : resolve(result.rows))
      )
    )
  return { query }
})

const prepared = "SELECT name, statement FROM pg_prepared_statements ORDER BY name"

it.scoped("a parameterized statement is prepared once per connection; one without parameters is not", () =>
  Effect.gen(function*() {
    const { query } = yield* connection
    const text = "SELECT $1::int + 1 AS n"
    expect(yield* query(text, [1])).toEqual([{ n: 2 }])
    expect(yield* query(text, [41])).toEqual([{ n: 42 }])
    yield* query("SELECT 1")
    const statements = yield* query<{ name: string; statement: string }>(prepared)
    expect(statements.map((s) => s.statement)).toEqual([text])
    expect(statements[0]!.name).toBe(statementName(text))
  }))

it.scoped("a statement whose result type a schema change altered runs again unnamed", () =>
  Effect.gen(function*() {
    const { query } = yield* connection
    yield* query("CREATE TABLE t (id int PRIMARY KEY, a text)")
    yield* query("INSERT INTO t VALUES (1, 'one')")
    const text = "SELECT * FROM t WHERE id = $1"
    expect(yield* query(text, [1])).toEqual([{ id: 1, a: "one" }])
    yield* query("ALTER TABLE t ADD COLUMN b text DEFAULT 'new'")
    expect(yield* query(text, [1])).toEqual([{ id: 1, a: "one", b: "new" }])
    expect(yield* query(text, [1])).toEqual([{ id: 1, a: "one", b: "new" }])
    expect(yield* query("SELECT $1::text AS s", ["later"])).toEqual([{ s: "later" }])
    const statements = yield* query<{ statement: string }>(prepared)
    expect(statements.map((s) => s.statement)).toEqual([text])
  }))

it.scoped("a statement the server no longer has prepared (DEALLOCATE, a transaction pooler) runs again unnamed", () =>
  Effect.gen(function*() {
    const { query } = yield* connection
    const text = "SELECT $1::text || '!' AS s"
    expect(yield* query(text, ["one"])).toEqual([{ s: "one!" }])
    yield* query("DEALLOCATE ALL")
    expect(yield* query(text, ["two"])).toEqual([{ s: "two!" }])
    expect(yield* query(text, ["three"])).toEqual([{ s: "three!" }])
    expect(yield* query(prepared)).toEqual([])
  }))

it.scoped("a name the server already has (a pooler's shared connection) runs unnamed", () =>
  Effect.gen(function*() {
    const { query } = yield* connection
    const text = "SELECT $1::int * 3 AS n"
    yield* query(`PREPARE ${statementName(text)} AS SELECT 1`)
    expect(yield* query(text, [5])).toEqual([{ n: 15 }])
    expect(yield* query(text, [6])).toEqual([{ n: 18 }])
  }))

it("one text has one name in every process; different texts have different names", () => {
  expect(statementName("SELECT $1")).toBe(statementName("SELECT $1"))
  expect(statementName("SELECT $1")).not.toBe(statementName("SELECT $2"))
  expect(statementName("SELECT $1")).toMatch(/^config_service_[0-9a-f]{32}$/)
})

it.scoped("inside a transaction statements run unnamed, so a pooler's leftovers cannot abort it", () =>
  Effect.gen(function*() {
    const { query } = yield* connection
    const text = "SELECT $1::int - 1 AS n"
    yield* query(`PREPARE ${statementName(text)} AS SELECT 1`)
    yield* query("BEGIN")
    expect(yield* query(text, [10])).toEqual([{ n: 9 }])
    expect(yield* query("SELECT $1::text AS s", ["still open"])).toEqual([{ s: "still open" }])
    yield* query("COMMIT")
    expect((yield* query<{ name: string }>(prepared)).map((s) => s.name)).toEqual([statementName(text)])
  }))
