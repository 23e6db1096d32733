import { describe, expect, it } from "@effect/vitest"
import { Context, Deferred, Effect, Fiber, Layer, TestClock } from "effect"
import { DeliveryTimeout } from "../../src/domain/index.js"
import * as WakeupsLive from "../../src/layers/WakeupsLive.js"
import * as Dispatcher from "../../src/programs/dispatcher/Dispatcher.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { RenewalLog, type RenewalLogService } from "../../src/services/RenewalLog.js"
import * as BrowserBridgeTest from "../support/BrowserBridgeTest.js"
import * as RenewalLogTest from "../support/RenewalLogTest.js"
import { makeTempDbFile, storeLayerAt } from "../support/tempStore.js"
import { logged, tickContext } from "./dispatcherEnv.js"
import { configLayer, T0 } from "./fixtures.js"
import { conversationWithJob, getJob } from "./seed.js"

/** Execution timeout plus grace with the default settings, and one millisecond more: stale. */
const PAST_STALE = 20_000 + 10_000 + 1

/** Yields before each line, as the JSONL file's asynchronous writes do: other fibers run in between. */
const yielding = (log: RenewalLogService): RenewalLogService => ({
  ...log,
  write: (entry) => Effect.zipRight(Effect.yieldNow(), log.write(entry))
})

/**
 * Two daemons on one SQLite file: each node has its own connection and identity; the scripted
 * bridge and the log are shared, so a test sees every delivery and line of both in order.
 */
const twoNodes = Effect.gen(function*() {
  const file = yield* makeTempDbFile
  const built = yield* Layer.build(Layer.mergeAll(BrowserBridgeTest.layer, RenewalLogTest.layer, WakeupsLive.layer))
  const shared = Context.add(built, RenewalLog, yielding(Context.get(built, RenewalLog)))
  const node = (nodeId: string, runId: string) =>
    Layer.build(Layer.mergeAll(storeLayerAt(file), configLayer({}, { nodeId, runId }))).pipe(
      Effect.map((own) => Context.merge(shared, own))
    )
  const a = yield* node("node-a", "run-a")
  const b = yield* node("node-b", "run-b")
  return { a, b, bridge: Context.get(shared, BrowserBridgeTest.BrowserBridgeScript), shared }
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

describe("two dispatchers on one database", () => {
  it.scoped("a late outcome from a dispatcher whose job was recovered and finished elsewhere changes nothing", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const { a, b, bridge, shared } = yield* twoNodes
      yield* conversationWithJob("race", T0).pipe(Effect.provide(a))
      const release = yield* Deferred.make<void>()
      const heldThenTimedOut = Deferred.await(release).pipe(
        Effect.zipRight(BrowserBridgeTest.rejected(new DeliveryTimeout({ request_id: "req_a" })))
      )
      yield* bridge.respond(heldThenTimedOut, BrowserBridgeTest.accepted(2))
      const dispatcherA = yield* Dispatcher.make.pipe(Effect.provide(a))
      const dispatcherB = yield* Dispatcher.make.pipe(Effect.provide(b))

      // A claims and delivers; its delivery hangs past execution timeout + grace.
      const tickA = yield* Effect.fork(dispatcherA.runner.tick(tickContext(1)))
      expect(yield* settle(Effect.map(bridge.requests, (r) => r.length === 1))).toBe(true)
      yield* TestClock.adjust(PAST_STALE)

      // B recovers the job (the lost attempt counts), redelivers it and finishes it.
      const tickB = yield* dispatcherB.runner.tick(tickContext(2))
      expect(tickB.details).toMatchObject({ recovered_jobs: 1, due_jobs: 1, successful_jobs: 1 })
      const finished = yield* getJob("job_race").pipe(Effect.provide(b))
      expect(finished).toMatchObject({ status: "done", attempt_count: 2, last_error: null })

      // A's retryable failure arrives late: it must not send the job back to pending.
      yield* Deferred.succeed(release, undefined)
      const lateA = yield* Fiber.join(tickA)
      expect(yield* getJob("job_race").pipe(Effect.provide(a))).toEqual(finished)
      expect(lateA.details).toMatchObject({ due_jobs: 1, superseded_jobs: 1, retried_jobs: 0 })
      const superseded = yield* logged("job_superseded").pipe(Effect.provide(shared))
      expect(superseded).toHaveLength(1)
      expect(superseded[0]).toMatchObject({
        result: "claim_lost",
        details: { job_id: "job_race", discarded_status: "pending", discarded_error: "delivery_timeout" }
      })
      expect((yield* logged("job_retry_scheduled").pipe(Effect.provide(shared))).map((e) => e.result)).toEqual([
        "stale_running"
      ])

      // Nothing is left to deliver a third time.
      expect((yield* dispatcherA.runner.tick(tickContext(3))).details).toMatchObject({ due_jobs: 0 })
      expect((yield* dispatcherB.runner.tick(tickContext(4))).details).toMatchObject({ due_jobs: 0 })
      expect(yield* bridge.requests).toHaveLength(2)
    }))

  it.scoped("a dispatcher whose claim was lost before it delivered does not deliver", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const { a, b, bridge, shared } = yield* twoNodes
      yield* conversationWithJob("lost", T0).pipe(Effect.provide(a))
      const dispatcherB = yield* Dispatcher.make.pipe(Effect.provide(b))
      // A claims and then stalls before its first write; B recovers the job meanwhile.
      const store = Context.get(a, ArtifactStore)
      const [claimed] = yield* store.claimDueJobs({ node_id: "node-a", run_id: "run-a", now: T0, limit: 1 })
      expect(claimed?.job_id).toBe("job_lost")
      yield* TestClock.adjust(PAST_STALE)
      yield* bridge.respond(BrowserBridgeTest.accepted(1))
      expect((yield* dispatcherB.runner.tick(tickContext(1))).details).toMatchObject({
        recovered_jobs: 1,
        successful_jobs: 1
      })

      const moved = yield* store.updateClaimedJob(claimed!.job_id, {
        node_id: "node-a",
        run_id: "run-a",
        claimed_at: T0
      }, {
        status: "running",
        started_at: T0
      })
      expect(moved._tag).toBe("None")
      expect(yield* getJob("job_lost").pipe(Effect.provide(a))).toMatchObject({ status: "done", attempt_count: 2 })
      expect(yield* bridge.requests).toHaveLength(1)
      expect(yield* logged("job_completed").pipe(Effect.provide(shared))).toHaveLength(1)
    }))

  it.scoped("two nodes recovering at once recover each stale job exactly once", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const { a, b, shared } = yield* twoNodes
      const names = ["r1", "r2", "r3", "r4", "r5"]
      for (const name of names) yield* conversationWithJob(name, T0).pipe(Effect.provide(a))
      const store = Context.get(a, ArtifactStore)
      expect(yield* store.claimDueJobs({ node_id: "node-dead", run_id: "run-dead", now: T0, limit: 10 })).toHaveLength(
        5
      )
      yield* TestClock.adjust(PAST_STALE)

      const dispatcherA = yield* Dispatcher.make.pipe(Effect.provide(a))
      const dispatcherB = yield* Dispatcher.make.pipe(Effect.provide(b))
      const [byA, byB] = yield* Effect.all([dispatcherA.recoverAtStartup, dispatcherB.recoverAtStartup], {
        concurrency: "unbounded"
      })
      expect(byA + byB).toBe(5)
      for (const name of names) {
        expect(yield* getJob(`job_${name}`).pipe(Effect.provide(b))).toMatchObject({
          status: "pending",
          attempt_count: 1,
          last_error: "stale_running"
        })
      }
      const lines = yield* logged("job_retry_scheduled").pipe(Effect.provide(shared))
      expect(lines.map((e) => e.details?.["job_id"]).sort()).toEqual(names.map((n) => `job_${n}`))
    }))
})
