import { describe, expect, it } from "@effect/vitest"
import { Clock, Deferred, Effect, Fiber, Option, TestClock } from "effect"
import type { Trigger } from "../../src/domain/index.js"
import * as Dispatcher from "../../src/programs/dispatcher/Dispatcher.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { DISPATCHER, Wakeups } from "../../src/services/Wakeups.js"
import * as BrowserBridgeTest from "../support/BrowserBridgeTest.js"
import { programsEnv, tickContext } from "./dispatcherEnv.js"
import { T0 } from "./fixtures.js"
import { conversationWithJob, getJob, insertJob, observe } from "./seed.js"

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

/** Whether a wake-up of the dispatcher is waiting to be taken (takes it). */
const wakePending = Effect.gen(function*() {
  const take = yield* Effect.fork((yield* Wakeups).take(DISPATCHER))
  for (let i = 0; i < 5; i++) yield* Effect.yieldNow()
  const done = Option.isSome(yield* Fiber.poll(take))
  yield* Fiber.interrupt(take)
  return done
})

describe("a finished delivery", () => {
  it.scoped("costs no tick when nothing else is due (a job due later has its own timer)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("first", T0, { tab_id: 1 })
      yield* conversationWithJob("later", T0, { tab_id: 2, next_attempt_at: T0 + 60_000 })
      yield* (yield* BrowserBridgeTest.BrowserBridgeScript).respond(BrowserBridgeTest.accepted())
      const dispatcher = yield* Dispatcher.make
      expect((yield* tick(dispatcher, 1, "wake")).details).toMatchObject({ due_jobs: 1 })
      yield* dispatcher.inFlight.idle
      expect(yield* getJob("job_first")).toMatchObject({ status: "done" })
      expect(yield* wakePending).toBe(false)
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("wakes the dispatcher for a due job that waited for its conversation", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const first = yield* conversationWithJob("first", T0, { tab_id: 1 })
      yield* observe({ conversation: "conv_first", message_id: "msg_first_2", observed_at: T0 - 1000, tab_id: 1 })
      yield* insertJob({
        job_id: "job_first_2",
        local_conversation_id: first.conversation.local_conversation_id,
        message_id: "msg_first_2",
        payload: "[renewal] again",
        next_attempt_at: T0
      })
      yield* (yield* BrowserBridgeTest.BrowserBridgeScript).respond(BrowserBridgeTest.accepted())
      const dispatcher = yield* Dispatcher.make
      // One job per conversation at a time: the second waits for the first's delivery.
      expect((yield* tick(dispatcher, 1, "wake")).details).toMatchObject({ due_jobs: 1 })
      yield* dispatcher.inFlight.idle
      expect(yield* wakePending).toBe(true)
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("wakes the dispatcher when the claim filled every slot", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("one", T0, { tab_id: 1 })
      yield* (yield* BrowserBridgeTest.BrowserBridgeScript).respond(BrowserBridgeTest.accepted())
      const dispatcher = yield* Dispatcher.make
      expect((yield* tick(dispatcher, 1, "wake")).details).toMatchObject({ due_jobs: 1 })
      yield* dispatcher.inFlight.idle
      expect(yield* wakePending).toBe(true)
    }).pipe(Effect.provide(programsEnv({ maxInFlight: 1 }))))

  it.scoped("after a claim that took every slot, only a finished delivery wakes the dispatcher", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("one", T0, { tab_id: 1 })
      yield* conversationWithJob("two", T0, { tab_id: 2 })
      const answer = yield* Deferred.make<void>()
      const script = yield* BrowserBridgeTest.BrowserBridgeScript
      yield* script.respond(Effect.zipRight(Deferred.await(answer), BrowserBridgeTest.accepted(1)))
      const dispatcher = yield* Dispatcher.make
      // Both jobs are due, one slot: the claim takes one and fills it. Another tick now could
      // claim nothing, so none is asked for while the delivery is out.
      expect((yield* tick(dispatcher, 1, "wake")).details).toMatchObject({ due_jobs: 1 })
      expect(yield* wakePending).toBe(false)
      expect((yield* tick(dispatcher, 2, "wake")).details).toMatchObject({ due_jobs: 0 })
      expect(yield* getJob("job_two")).toMatchObject({ status: "pending" })
      yield* script.respond(BrowserBridgeTest.accepted(2))
      yield* Deferred.succeed(answer, undefined)
      yield* dispatcher.inFlight.idle
      expect(yield* wakePending).toBe(true)
      expect((yield* tick(dispatcher, 3, "wake")).details).toMatchObject({ due_jobs: 1 })
      yield* dispatcher.inFlight.idle
      expect(yield* getJob("job_two")).toMatchObject({ status: "done" })
    }).pipe(Effect.provide(programsEnv({ maxInFlight: 1 }))))
})
