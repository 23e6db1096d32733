import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import { DeliveryTimeout, type PacingLimits, unlimitedPacing } from "../../src/domain/index.js"
import * as DeliveryPolicyLive from "../../src/layers/DeliveryPolicyLive.js"
import * as BrowserBridgeTest from "../support/BrowserBridgeTest.js"
import { dispatchOnce, logged, programsEnv } from "./dispatcherEnv.js"
import { T0 } from "./fixtures.js"
import { conversationWithJob, getJob, insertJob } from "./seed.js"

const script = BrowserBridgeTest.BrowserBridgeScript
const withPolicy = (limits: Partial<PacingLimits>) =>
  Layer.merge(programsEnv(), DeliveryPolicyLive.layer({ ...unlimitedPacing, ...limits }))

describe("dispatcher: pacing and the circuit breaker defer, never fail", () => {
  it.scoped("a conversation's second renewal within the interval waits for it, with its attempts untouched", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const seen = yield* conversationWithJob("paced", T0)
      yield* (yield* script).respond(BrowserBridgeTest.accepted(1), BrowserBridgeTest.accepted(2))
      yield* dispatchOnce(1)
      expect((yield* getJob("job_paced")).status).toBe("done")

      yield* insertJob({
        job_id: "job_paced_2",
        local_conversation_id: seen.conversation.local_conversation_id,
        message_id: "msg_paced_2",
        payload: "[renewal] again",
        next_attempt_at: T0 + 1000
      })
      yield* TestClock.adjust(1000)
      const second = yield* dispatchOnce(2)
      expect(second.details).toMatchObject({ due_jobs: 1, skipped_jobs: 1, successful_jobs: 0 })
      expect(yield* getJob("job_paced_2")).toMatchObject({
        status: "pending",
        attempt_count: 0,
        last_error: null,
        next_attempt_at: T0 + 60_000
      })
      const deferred = yield* logged("job_deferred")
      expect(deferred.map((e) => [e.result, e.details?.["next_attempt_at"]])).toEqual([[
        "conversation_paced",
        T0 + 60_000
      ]])

      yield* TestClock.adjust(59_000)
      yield* dispatchOnce(3)
      expect(yield* getJob("job_paced_2")).toMatchObject({ status: "done", attempt_count: 1 })
      expect(yield* (yield* script).requests).toHaveLength(2)
    }).pipe(Effect.provide(withPolicy({ conversationMinIntervalMs: 60_000 }))))

  it.scoped("after the failures that open a platform's circuit, its other jobs wait for the cool-down", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("broken", T0, { max_attempts: 1 })
      yield* conversationWithJob("waiting", T0 + 1, { tab_id: 18 })
      yield* conversationWithJob("elsewhere", T0 + 1, { platform: "claude", tab_id: 19 })
      const bridge = yield* script
      yield* bridge.respond(BrowserBridgeTest.rejected(new DeliveryTimeout({ request_id: "req_1" })))
      yield* dispatchOnce(1)
      expect(yield* getJob("job_broken")).toMatchObject({
        status: "failed",
        attempt_count: 1,
        last_error: "delivery_timeout"
      })

      yield* TestClock.adjust(1)
      yield* bridge.respond(BrowserBridgeTest.accepted(2))
      const tick = yield* dispatchOnce(2)
      expect(tick.details).toMatchObject({ due_jobs: 2, skipped_jobs: 1, successful_jobs: 1 })
      expect(yield* getJob("job_waiting")).toMatchObject({
        status: "pending",
        attempt_count: 0,
        next_attempt_at: T0 + 300_000
      })
      expect(yield* getJob("job_elsewhere")).toMatchObject({ status: "done" })
      expect((yield* logged("job_deferred")).map((e) => e.result)).toEqual(["circuit_open"])

      // Cool-down over: the trial goes out and succeeds.
      yield* TestClock.setTime(T0 + 300_000)
      yield* bridge.respond(BrowserBridgeTest.accepted(3))
      yield* dispatchOnce(3)
      expect(yield* bridge.requests).toHaveLength(3)
      expect(yield* getJob("job_waiting")).toMatchObject({ status: "done", attempt_count: 1 })
    }).pipe(Effect.provide(withPolicy({ breakerFailures: 1, breakerCooldownMs: 300_000 }))))
})
