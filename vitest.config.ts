import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The process-level tests (test/e2e) run dist/: rebuilt first whenever src/ is newer.
    globalSetup: ["test/support/buildOnce.ts", "test/support/postgresSetup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
