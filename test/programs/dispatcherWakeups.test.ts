import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, TestClock } from "effect"
import type { Trigger } from "../../src/domain/index.js"
import * as Dispatcher from "../../src/programs/dispatcher/Dispatcher.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import * as BrowserBridgeTest from "../support/BrowserBridgeTest.js"
import { programsEnv, tickContext } from "./dispatcherEnv.js"
import { T0 } from "./fixtures.js"
import { conversationWithJob, getJob } from "./seed.js"

type Made = Effect.Effect.Success<typeof Dispatcher.make>

const tick = (dispatcher: Made, n: number, trigger: Trigger) => dispatcher.runner.tick({ ...tickContext(n), trigger })

describe("dispatcher wake-ups", () => {
  it.scoped("a woken tick leaves stale work alone; scheduled and manual ticks recover it", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("stale-a", T0)
      yield* conversationWithJob("stale-b", T0)
      const store = yield* ArtifactStore
      const now = yield* Clock.currentTimeMillis
      yield* store.claimDueJobs({ now, limit: 10, node_id: "node-other", run_id: "run-x" })
      yield* TestClock.adjust("30001 millis")
      const dispatcher = yield* Dispatcher.make
      yield* (yield* BrowserBridgeTest.BrowserBridgeScript).respond(
        BrowserBridgeTest.accepted(),
        BrowserBridgeTest.accepted()
      )

      // A finished delivery wakes the dispatcher to claim for the freed slot, nothing more.
      expect((yield* tick(dispatcher, 1, "wake")).details).toMatchObject({ recovered_jobs: 0, due_jobs: 0 })
      expect((yield* getJob("job_stale-a")).status).toBe("running")

      const scheduled = yield* tick(dispatcher, 2, "schedule")
      expect(scheduled.details).toMatchObject({ recovered_jobs: 2, due_jobs: 2 })
      expect(yield* tick(dispatcher, 3, "manual")).toMatchObject({ details: { recovered_jobs: 0 } })
      yield* dispatcher.inFlight.idle
      expect(yield* getJob("job_stale-a")).toMatchObject({ status: "done", attempt_count: 2 })
    }).pipe(Effect.provide(programsEnv({ executionTimeoutMs: 20_000 }))))
})
