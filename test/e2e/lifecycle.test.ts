import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { makeTempDir } from "../support/tempStore.js"
import { spawnDaemon } from "../support/daemon.js"

describe("daemon lifecycle", () => {
  it.scopedLive("starts on a free port, answers /healthz, and exits 0 on SIGTERM", () =>
    Effect.gen(function* () {
      const stateDir = yield* makeTempDir
      const daemon = yield* spawnDaemon({ stateDir })
      const health = yield* Effect.promise(() => fetch(`${daemon.url}/healthz`).then((r) => r.json()))
      expect(health.ok).toBe(true)
      expect(health.data.version).toMatch(/^\d+\.\d+\.\d+/)
      expect(yield* daemon.stop("SIGTERM")).toBe(0)
    }))
})
