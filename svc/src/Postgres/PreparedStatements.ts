import { createHash } from "node:crypto"
import pg from "pg"

/** How many distinct statement texts get a name; past it, further texts run unnamed. */
export const maxPreparedStatements = 256

/**
 * A statement's name is a digest of its text, so that every process gives one text one name:
 * behind a pooler that shares server connections, a name can only ever stand for its text.
 */
export const statementName = (text: string) =>
  `config_service_${createHash("sha256").update(text).digest("hex").slice(0, 32)}`

const names = new Map<string, string>()

const nameOf = (text: string) => {
  let name = names.get(text)
  if (name === undefined && names.size < maxPreparedStatements) {
    name = statementName(text)
    names.set(text, name)
  }
  return name
}

/**
 * Failures of a named statement that an unnamed one does not have: 0A000 "cached plan must not
 * change result type" after a schema change; 26000 "prepared statement does not exist" and
 * 42P05 "prepared statement already exists" where the server side does not match what this
 * connection prepared (`DEALLOCATE`, or a pooler such as PgBouncer in transaction mode).
 */
const notPreparable = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code
  return code === "0A000" || code === "26000" || code === "42P05"
}

type Callback = (error: Error | null, result: pg.QueryResult) => void

/**
 * A node-postgres client that runs every parameterized statement as a named prepared
 * statement, so PostgreSQL parses and plans each statement text once per connection
 * (node-postgres remembers which names each connection has prepared). Texts without
 * parameters — migrations, multi-statement scripts — and statements inside a transaction
 * run as before. Should a named statement fail where an unnamed one would not (see
 * `notPreparable`), it is run again unnamed and the connection stops preparing.
 */
export class PreparingClient extends pg.Client {
  private preparing = true

  /** Inside a transaction a failed statement aborts it, so there a statement runs unnamed (no retry is possible). */
  private get inTransaction() {
    const status = (this as unknown as { _txStatus?: string | null })._txStatus
    return status === "T" || status === "E"
  }

  override query(...args: Array<any>): any {
    const [text, values, callback] = args as [unknown, unknown, unknown]
    const name = this.preparing && !this.inTransaction && typeof text === "string" && Array.isArray(values) &&
        values.length > 0 && typeof callback === "function"
      ? nameOf(text)
      : undefined
    if (name === undefined) return (super.query as (...args: Array<any>) => any)(...args)
    const done = callback as Callback
    const config: pg.QueryConfig = { name, text: text as string, values: values as Array<unknown> }
    return super.query(config, (error: Error | null, result: pg.QueryResult) => {
      if (error !== null && notPreparable(error)) {
        this.preparing = false
        return super.query(text as string, values as Array<unknown>, done)
      }
      done(error, result)
    })
  }
}
