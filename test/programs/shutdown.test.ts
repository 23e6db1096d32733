import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, TestClock } from "effect"
import * as Dispatcher from "../../src/programs/dispatcher/Dispatcher.js"
import { ConductorConfig } from "../../src/services/ConductorConfig.js"
import * as BrowserBridgeTest from "../support/BrowserBridgeTest.js"
import { programsEnv, tickContext } from "./dispatcherEnv.js"
import { T0 } from "./fixtures.js"
import { conversationWithJob, getJob } from "./seed.js"

const script = BrowserBridgeTest.BrowserBridgeScript
const TIMEOUT_MS = 10_000
const woken = (n = 1) => ({ ...tickContext(n), trigger: "wake" as const })
const answersAfter = (seconds: number) =>
  Effect.sleep(`${seconds} seconds`).pipe(Effect.zipRight(BrowserBridgeTest.accepted()))

/** Lets forked fibers run, without any clock time passing. */
const yieldMany = Effect.forEach(Array.from({ length: 50 }), () => Effect.yieldNow(), { discard: true })

describe("shutdown and drain wait for deliveries in flight", () => {
  it.scoped("shutdown claims nothing more, records a delivery that answers in time, interrupts a silent one at the timeout; restart recovers it", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("silent", T0, { tab_id: 1, next_attempt_at: T0 - 1 })
      yield* conversationWithJob("slow", T0, { tab_id: 2 })
      yield* (yield* script).respond(Effect.never, answersAfter(3))

      const { inFlight, runner } = yield* Dispatcher.make
      expect((yield* runner.tick(woken(1))).details).toMatchObject({ due_jobs: 2 })
      yield* yieldMany
      expect(yield* inFlight.size).toBe(2)

      const closing = yield* Effect.fork(inFlight.deliveries.settle)
      yield* yieldMany
      // Shutting down: a tick now claims nothing.
      yield* conversationWithJob("late", T0, { tab_id: 3 })
      expect((yield* runner.tick(woken(2))).details).toMatchObject({ due_jobs: 0 })

      yield* TestClock.adjust("3 seconds")
      yield* yieldMany
      expect(yield* getJob("job_slow")).toMatchObject({ status: "done", finished_at: T0 + 3000 })
      expect(Option.isNone(yield* Fiber.poll(closing))).toBe(true)

      yield* TestClock.adjust(`${TIMEOUT_MS - 3000} millis`)
      yield* Fiber.join(closing)
      expect(yield* getJob("job_silent")).toMatchObject({ status: "running", attempt_count: 0 })
      expect(yield* getJob("job_late")).toMatchObject({ status: "pending", attempt_count: 0 })

      // The next run of this node puts the interrupted job back at once.
      const config = yield* ConductorConfig
      const restarted = yield* Dispatcher.make.pipe(
        Effect.provideService(ConductorConfig, { ...config, node: { ...config.node, runId: "run-3" } })
      )
      expect(yield* restarted.recoverAtStartup).toBe(1)
      expect(yield* getJob("job_silent")).toMatchObject({ status: "pending", attempt_count: 1 })
    }).pipe(Effect.provide(programsEnv({ executionTimeoutMs: TIMEOUT_MS }))))

  it.scoped("drained completes only once nothing is in flight", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("slow", T0, { tab_id: 1 })
      yield* (yield* script).respond(answersAfter(3))
      const { inFlight, runner } = yield* Dispatcher.make
      yield* runner.tick(woken(1))

      const drained = yield* Effect.fork(inFlight.deliveries.drained)
      yield* TestClock.adjust("2 seconds")
      expect(Option.isNone(yield* Fiber.poll(drained))).toBe(true)
      yield* TestClock.adjust("1 seconds")
      yield* Fiber.join(drained)
      expect(yield* inFlight.size).toBe(0)
      expect(yield* getJob("job_slow")).toMatchObject({ status: "done" })
    }).pipe(Effect.provide(programsEnv({ executionTimeoutMs: TIMEOUT_MS }))))
})
