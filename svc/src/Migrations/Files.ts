import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import { createHash } from "node:crypto"

export interface MigrationFile {
  readonly version: number
  readonly name: string
  readonly file: string
  readonly sql: string
  readonly checksum: string
}

export class MigrationError extends Data.TaggedError("MigrationError")<{ readonly message: string }> {}

const fileName = /^(\d{4})_([a-z0-9_]+)\.sql$/

export const checksum = (sql: string) => createHash("sha256").update(sql, "utf8").digest("hex")

/** Reads `NNNN_description.sql` files from `dir`, ordered by version. */
export const readMigrationFiles = (dir: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const names = yield* fs.readDirectory(dir).pipe(
      Effect.mapError((cause) => new MigrationError({ message: `cannot read migrations folder ${dir}: ${cause.message}` }))
    )
    const files: Array<MigrationFile> = []
    for (const file of names.filter((name) => name.endsWith(".sql")).sort()) {
      const match = fileName.exec(file)
      if (!match) {
        return yield* new MigrationError({
          message: `${file}: migration files are named NNNN_description.sql (lower case, digits and _)`
        })
      }
      const sql = yield* fs.readFileString(path.join(dir, file)).pipe(
        Effect.mapError((cause) => new MigrationError({ message: `cannot read ${file}: ${cause.message}` }))
      )
      const version = Number(match[1])
      const twin = files.find((other) => other.version === version)
      if (twin) return yield* new MigrationError({ message: `${file} and ${twin.file} share version ${match[1]}` })
      files.push({ version, name: match[2]!, file, sql, checksum: checksum(sql) })
    }
    return files
  })
