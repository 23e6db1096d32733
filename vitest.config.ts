import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The process-level tests (test/e2e) run dist/: rebuilt first whenever src/ is newer.
    globalSetup: ["test/support/buildOnce.ts", "test/support/postgresSetup.ts"],
    // Most files wait on child processes, browsers and sockets rather than compute: four workers
    // on two cores take the suite from ~150 s to ~100 s.
    maxWorkers: 4,
    minWorkers: 1,
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
