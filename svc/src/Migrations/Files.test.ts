import { NodeContext } from "@effect/platform-node"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { createHash } from "node:crypto"
import { mkdir } from "node:fs/promises"
import path from "node:path"
import { migrationsFolder, tempDir, writeFiles } from "../../test/Migrations.js"
import { checksum, MigrationError, readMigrationFiles } from "./Files.js"

const sha256 = (text: string) => createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex")

it.layer(NodeContext.layer)("readMigrationFiles", (it) => {
  it.scoped("reads NNNN_description.sql files ordered by version, with name, file and contents", () =>
    Effect.gen(function*() {
      const dir = yield* migrationsFolder({
        "0010_tenth.sql": "SELECT 10;",
        "0002_second_one.sql": "SELECT 2;",
        "0001_first.sql": "SELECT 1;",
        "0003_third.sql": "SELECT 3;"
      })
      const files = yield* readMigrationFiles(dir)
      expect(files.map((file) => file.version)).toEqual([1, 2, 3, 10])
      expect(files.map((file) => file.file)).toEqual([
        "0001_first.sql",
        "0002_second_one.sql",
        "0003_third.sql",
        "0010_tenth.sql"
      ])
      expect(files[1]).toMatchObject({ version: 2, name: "second_one", file: "0002_second_one.sql", sql: "SELECT 2;" })
      expect(files[3]).toMatchObject({ version: 10, name: "tenth", sql: "SELECT 10;" })
    }))

  it.scoped("ignores files that are not .sql", () =>
    Effect.gen(function*() {
      const dir = yield* migrationsFolder({
        "0001_first.sql": "SELECT 1;",
        "README.md": "# notes",
        "0002_draft.sql.bak": "SELECT 2;"
      })
      const files = yield* readMigrationFiles(dir)
      expect(files.map((file) => file.file)).toEqual(["0001_first.sql"])
    }))

  it.scoped("an empty folder has no migrations", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      expect(yield* readMigrationFiles(dir)).toEqual([])
    }))

  it.scoped("the checksum is the sha-256 of the file's UTF-8 contents, in hex", () =>
    Effect.gen(function*() {
      const contents = {
        "0001_ascii.sql": "CREATE TABLE t (id int);\n",
        "0002_unicode.sql": "-- größe ✓\nSELECT 'ü';\n",
        "0003_empty.sql": ""
      }
      const dir = yield* migrationsFolder(contents)
      const files = yield* readMigrationFiles(dir)
      for (const file of files) {
        expect(file.checksum).toMatch(/^[0-9a-f]{64}$/)
        expect(file.checksum).toBe(sha256(contents[file.file as keyof typeof contents]))
      }
      // Known sha-256 vectors, independent of node:crypto.
      expect(files[2]!.checksum).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
      expect(checksum("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
      // Any change to the contents changes the checksum.
      expect(checksum("CREATE TABLE t (id int);")).not.toBe(files[0]!.checksum)
    }))

  it.scoped("a badly named .sql file is a MigrationError naming the file", () =>
    Effect.gen(function*() {
      for (const bad of ["1_short.sql", "0002-dash.sql", "0003_Upper.sql", "0004_.sql", "00005_five.sql", "initial.sql"]) {
        const dir = yield* migrationsFolder({ "0001_good.sql": "SELECT 1;", [bad]: "SELECT 2;" })
        const error = yield* Effect.flip(readMigrationFiles(dir))
        expect(error).toBeInstanceOf(MigrationError)
        expect(error._tag).toBe("MigrationError")
        expect(error.message).toContain(bad)
        expect(error.message).toContain("NNNN_description.sql")
      }
    }))

  it.scoped("two files with the same version are a MigrationError naming both", () =>
    Effect.gen(function*() {
      const dir = yield* migrationsFolder({
        "0001_first.sql": "SELECT 1;",
        "0002_alpha.sql": "SELECT 2;",
        "0002_beta.sql": "SELECT 3;"
      })
      const error = yield* Effect.flip(readMigrationFiles(dir))
      expect(error).toBeInstanceOf(MigrationError)
      expect(error.message).toContain("0002_alpha.sql")
      expect(error.message).toContain("0002_beta.sql")
      expect(error.message).toContain("0002")
    }))

  it.scoped("a folder that cannot be read is a MigrationError naming it", () =>
    Effect.gen(function*() {
      const base = yield* tempDir
      const missing = path.join(base, "does-not-exist")
      const error = yield* Effect.flip(readMigrationFiles(missing))
      expect(error).toBeInstanceOf(MigrationError)
      expect(error.message).toContain("cannot read migrations folder")
      expect(error.message).toContain(missing)

      // A plain file where the folder should be.
      yield* writeFiles(base, { "not-a-folder": "" })
      const notFolder = path.join(base, "not-a-folder")
      const error2 = yield* Effect.flip(readMigrationFiles(notFolder))
      expect(error2).toBeInstanceOf(MigrationError)
      expect(error2.message).toContain(notFolder)
    }))

  it.scoped("a .sql entry that cannot be read as a file is a MigrationError naming it", () =>
    Effect.gen(function*() {
      const dir = yield* migrationsFolder({ "0001_first.sql": "SELECT 1;" })
      yield* Effect.promise(() => mkdir(path.join(dir, "0002_folder.sql")))
      const error = yield* Effect.flip(readMigrationFiles(dir))
      expect(error).toBeInstanceOf(MigrationError)
      expect(error.message).toContain("cannot read 0002_folder.sql")
    }))
})
