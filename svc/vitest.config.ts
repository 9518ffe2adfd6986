import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    globalSetup: ["test/globalSetup.ts"],
    setupFiles: ["test/setup.ts"],
    pool: "forks",
    // Most tests wait on PostgreSQL, child processes or sockets, not the CPU: more forks than cores keep both busy.
    // Files share their fork's modules (isolate: false): loading Effect once per fork, not once per file, halves
    // the suite's CPU time. A fork pool that shrinks below maxForks ends forks mid-run, hence minForks = maxForks.
    poolOptions: { forks: { maxForks: 4, minForks: 4, isolate: false } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      exclude: ["src/**/*.test.ts", "src/index.ts", "src/types.d.ts", "src/main.ts", "src/migrate.ts"],
      thresholds: { lines: 80, branches: 80, functions: 80, statements: 80 }
    }
  }
})
