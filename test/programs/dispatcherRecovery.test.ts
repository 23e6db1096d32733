import { describe, expect, it } from "@effect/vitest"
import { Clock, Deferred, Effect, Fiber, TestClock } from "effect"
import { retryDelayMs, staleGraceMs } from "../../src/programs/dispatcher/backoff.js"
import * as Dispatcher from "../../src/programs/dispatcher/Dispatcher.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import * as BrowserBridgeTest from "../support/BrowserBridgeTest.js"
import { dispatchOnce, logged, programsEnv } from "./dispatcherEnv.js"
import { NODE_ID, RUN_ID, T0 } from "./fixtures.js"
import { conversationWithJob, getJob, insertJob, observe } from "./seed.js"

const script = BrowserBridgeTest.BrowserBridgeScript

/** Claims everything due as another run or node would, leaving it `running`. */
const claimAs = (node_id: string, run_id: string) =>
  Effect.gen(function*() {
    const store = yield* ArtifactStore
    const now = yield* Clock.currentTimeMillis
    return yield* store.claimDueJobs({ now, limit: 100, node_id, run_id })
  })

/** Lets forked fibers run until `done` holds, without any clock time passing. */
const settle = <E, R>(done: Effect.Effect<boolean, E, R>) =>
  Effect.gen(function*() {
    for (let i = 0; i < 200; i++) {
      if (yield* done) return true
      yield* Effect.yieldNow()
    }
    return false
  })

describe("backoff", () => {
  it("is min(max, base * 2^(attempt_count - 1))", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, 30_000, 300_000))).toEqual([
      30_000,
      60_000,
      120_000,
      240_000,
      300_000,
      300_000
    ])
    expect(retryDelayMs(1, 1, 1)).toBe(1)
    expect(retryDelayMs(7, 1, 1)).toBe(1)
  })

  it("gives a running job the execution timeout plus at most 10 s", () => {
    expect(staleGraceMs(20_000)).toBe(10_000)
    expect(staleGraceMs(3_000)).toBe(3_000)
  })
})

describe("dispatcher recovery", () => {
  it.scoped("at start-up, jobs left running by this node's earlier run go back to pending at once", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("crashed", T0)
      yield* conversationWithJob("spent", T0, { max_attempts: 1 })
      yield* claimAs(NODE_ID, "run-1")
      yield* TestClock.adjust("1000 millis")

      const dispatcher = yield* Dispatcher.make
      expect(yield* dispatcher.recoverAtStartup).toBe(2)
      expect(yield* getJob("job_crashed")).toMatchObject({
        status: "pending",
        attempt_count: 1,
        last_error: "stale_running",
        next_attempt_at: T0 + 1000
      })
      expect(yield* getJob("job_spent")).toMatchObject({
        status: "failed",
        attempt_count: 1,
        last_error: "stale_running",
        finished_at: T0 + 1000
      })
      expect((yield* logged("job_retry_scheduled")).map((e) => e.result)).toEqual(["stale_running"])
      expect((yield* logged("job_failed")).map((e) => e.result)).toEqual(["stale_running"])
      expect((yield* logged("startup_recovery"))[0]).toMatchObject({ result: "ok", details: { recovered_jobs: 2 } })
    }).pipe(Effect.provide(programsEnv({}, { runId: RUN_ID }))))

  it.scoped("another node's job is recovered only after execution timeout plus grace", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("elsewhere", T0)
      yield* claimAs("node-other", "run-x")
      yield* TestClock.adjust("30000 millis")
      yield* dispatchOnce(1)
      expect((yield* getJob("job_elsewhere")).status).toBe("running")

      yield* TestClock.adjust("1 millis")
      yield* (yield* script).respond(BrowserBridgeTest.accepted())
      const tick = yield* dispatchOnce(2)
      expect(tick.details).toMatchObject({ recovered_jobs: 1, due_jobs: 1, successful_jobs: 1 })
      expect(yield* getJob("job_elsewhere")).toMatchObject({ status: "done", attempt_count: 2, last_error: null })
    }).pipe(Effect.provide(programsEnv({ executionTimeoutMs: 20_000 }))))

  it.scoped("an interrupted delivery leaves the job running, never half-written, for recovery", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("cut", T0)
      const bridge = yield* script
      yield* bridge.respond(Effect.never)
      const tick = yield* Effect.fork(dispatchOnce())
      expect(yield* settle(Effect.map(bridge.requests, (r) => r.length === 1))).toBe(true)
      yield* Fiber.interrupt(tick)
      expect(yield* getJob("job_cut")).toMatchObject({ status: "running", attempt_count: 0, started_at: T0 })
    }).pipe(Effect.provide(programsEnv())))
})

describe("dispatcher concurrency", () => {
  it.scoped("jobs of different conversations are delivered concurrently", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("a", T0)
      yield* conversationWithJob("b", T0)
      const bridge = yield* script
      const release = yield* Deferred.make<void>()
      const held = Deferred.await(release).pipe(Effect.zipRight(BrowserBridgeTest.accepted()))
      yield* bridge.respond(held, held)

      const tick = yield* Effect.fork(dispatchOnce())
      // Both deliveries are in flight before either answers.
      expect(yield* settle(Effect.map(bridge.requests, (r) => r.length === 2))).toBe(true)
      yield* Deferred.succeed(release, undefined)
      expect((yield* Fiber.join(tick)).details).toMatchObject({ due_jobs: 2, successful_jobs: 2 })
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("jobs of one conversation are never in flight together", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const seen = yield* conversationWithJob("one", T0)
      yield* observe({ conversation: "conv_one", message_id: "msg_one_2", observed_at: T0 - 1000 })
      yield* insertJob({
        job_id: "job_one_2",
        local_conversation_id: seen.conversation.local_conversation_id,
        message_id: "msg_one_2",
        payload: "[renewal] second",
        next_attempt_at: T0
      })
      const bridge = yield* script
      yield* bridge.respond(BrowserBridgeTest.accepted(1), BrowserBridgeTest.accepted(2))

      expect((yield* dispatchOnce(1)).details).toMatchObject({ due_jobs: 1, successful_jobs: 1 })
      expect((yield* dispatchOnce(2)).details).toMatchObject({ due_jobs: 1, successful_jobs: 1 })
      expect((yield* bridge.requests).map((r) => r.plan_id)).toEqual(["plan_job_one", "plan_job_one_2"])
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("a delivery that dies leaves its job for recovery and spares the others", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("a", T0)
      yield* conversationWithJob("b", T0)
      yield* (yield* script).respond(Effect.dieMessage("bridge bug"), BrowserBridgeTest.accepted())
      const tick = yield* dispatchOnce()
      expect(tick.details).toMatchObject({ due_jobs: 2, successful_jobs: 1, errored_jobs: 1 })
      const statuses = [(yield* getJob("job_a")).status, (yield* getJob("job_b")).status].sort()
      expect(statuses).toEqual(["done", "running"])
      expect((yield* logged("job_errored")).map((e) => e.result)).toEqual(["defect"])
    }).pipe(Effect.provide(programsEnv())))
})
