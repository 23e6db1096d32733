import { describe, expect, it } from "@effect/vitest"
import { Clock, Context, Deferred, Effect, Exit, Layer, TestClock } from "effect"
import * as RenewalPrograms from "../../src/programs/RenewalPrograms.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { RETENTION } from "../../src/services/Retention.js"
import { TimedJobs } from "../../src/services/TimedJobs.js"
import { DISPATCHER, PROJECTOR } from "../../src/services/Wakeups.js"
import * as BrowserBridgeTest from "../support/BrowserBridgeTest.js"
import { logged, programsEnv } from "./dispatcherEnv.js"
import { NODE_ID, T0 } from "./fixtures.js"
import { conversationWithJob, getJob, observe, untilFinished } from "./seed.js"

const startPrograms = Layer.build(RenewalPrograms.layer).pipe(Effect.map((ctx) => Context.get(ctx, TimedJobs)))

const claimAsEarlierRun = Effect.gen(function*() {
  const store = yield* ArtifactStore
  const now = yield* Clock.currentTimeMillis
  return yield* store.claimDueJobs({ now, limit: 10, node_id: NODE_ID, run_id: "run-1" })
})

describe("renewal programs layer", () => {
  it.scoped("on start, a settled reply of an auto conversation is projected and delivered without waiting an interval", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const bridge = yield* BrowserBridgeTest.BrowserBridgeScript
      const delivered = yield* Deferred.make<void>()
      yield* bridge.respond(Deferred.succeed(delivered, undefined).pipe(Effect.zipRight(BrowserBridgeTest.accepted())))
      yield* observe({ conversation: "c1", message_id: "m1", observed_at: T0, text: "the answer" })
      const timedJobs = yield* startPrograms

      // The clock never moves: only the start-up ticks can deliver.
      yield* Deferred.await(delivered)
      // The delivery's fiber writes its outcome after the bridge answered.
      const job = yield* untilFinished("m1")
      expect(job).toMatchObject({ message_id: "m1", status: "done", attempt_count: 1 })
      expect((yield* bridge.requests)[0]?.message_text).toBe("[renewal] the answer\nhttps://chatgpt.com/c/c1")
      expect((yield* timedJobs.runners).map((r) => [r.name, r.interval_ms])).toEqual([
        [PROJECTOR, 5000],
        [DISPATCHER, 5000],
        [RETENTION, 3_600_000]
      ])
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("starting recovers this node's earlier run at once", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("crashed", T0)
      yield* claimAsEarlierRun
      yield* startPrograms
      expect(yield* getJob("job_crashed")).toMatchObject({
        status: "pending",
        attempt_count: 1,
        last_error: "stale_running",
        next_attempt_at: T0
      })
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("a standby node recovers nothing and its ticks touch nothing", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("waiting", T0)
      yield* observe({ conversation: "c2", message_id: "m2", observed_at: T0 })
      yield* claimAsEarlierRun
      const timedJobs = yield* startPrograms
      yield* TestClock.adjust("20000 millis")
      expect((yield* timedJobs.runNow(PROJECTOR)).result).toBe("standby")
      expect((yield* timedJobs.runNow(DISPATCHER)).result).toBe("standby")
      expect((yield* getJob("job_waiting")).status).toBe("running")
      expect(yield* (yield* ArtifactStore).projectorCursor).toBe(0)
      expect(yield* logged("scan_window")).toEqual([])
    }).pipe(Effect.provide(programsEnv({}, { role: "standby" }))))

  it.scoped("an unknown template stops the start with a configuration error", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(startPrograms)
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(Exit.isFailure(exit) ? exit.cause : "")).toContain("template")
    }).pipe(Effect.provide(programsEnv({ template: "fancy" }))))
})
