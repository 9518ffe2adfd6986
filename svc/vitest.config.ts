import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    globalSetup: ["test/globalSetup.ts"],
    pool: "forks",
    // Most tests wait on PostgreSQL, child processes or sockets, not the CPU: more forks than cores keep both busy.
    poolOptions: { forks: { maxForks: 4, minForks: 1 } },
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
