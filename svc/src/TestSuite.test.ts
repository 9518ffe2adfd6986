import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { execFile } from "node:child_process"
import path from "node:path"
import { serviceRoot } from "./Settings.js"

/**
 * The test command's exit status is what CI trusts. Vitest runs the suite's global setup
 * (an embedded PostgreSQL 16) in its own process: nothing there may turn a failed run into
 * exit 0.
 */
it.effect("a run with a failing test, on the suite's own global setup, exits non-zero", () =>
  Effect.async<{ code: number | null; output: string }>((resume) => {
    const child = execFile(
      process.execPath,
      [path.join(serviceRoot, "node_modules", "vitest", "vitest.mjs"), "run", "--config", "test/fixtures/vitest.failing.config.ts"],
      { cwd: serviceRoot, env: { ...process.env, TEST_DATABASE_URL: "", NO_COLOR: "1", FORCE_COLOR: "0" }, timeout: 90_000, killSignal: "SIGKILL" },
      (error, stdout, stderr) =>
        resume(Effect.succeed({
          code: error === null ? 0 : typeof error.code === "number" ? error.code : null,
          output: `${stdout}\n${stderr}`
        }))
    )
    return Effect.sync(() => child.kill("SIGKILL"))
  }).pipe(Effect.map(({ code, output }) => {
    expect(output).toMatch(/Tests\s+1 failed/)
    expect(code, output).toBe(1)
  })), 120_000)
