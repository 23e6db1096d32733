import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import * as Dispatcher from "../../src/programs/dispatcher/Dispatcher.js"
import * as Scheduler from "../../src/programs/timedJobs/Scheduler.js"
import { DISPATCHER, Wakeups } from "../../src/services/Wakeups.js"
import * as BrowserBridgeTest from "../support/BrowserBridgeTest.js"
import { logged, programsEnv } from "./dispatcherEnv.js"
import { T0 } from "./fixtures.js"
import { conversationWithJob, getJob } from "./seed.js"

describe("dispatcher backlog", () => {
  it.scoped("a full batch claims again at once: three batches drain without waiting an interval", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const names = ["b1", "b2", "b3", "b4", "b5", "b6"]
      for (const name of names) yield* conversationWithJob(name, T0)
      const bridge = yield* BrowserBridgeTest.BrowserBridgeScript
      yield* bridge.respond(...names.map((_, i) => BrowserBridgeTest.accepted(i)))

      const { runner } = yield* Dispatcher.make
      yield* Scheduler.make([runner])
      yield* Effect.flatMap(Wakeups, (w) => w.wake(DISPATCHER))
      // No clock time passes: only the first wake and the dispatcher's own wakes can run ticks.
      for (let i = 0; i < 2_000 && (yield* logged("scan_completed")).length < 4; i++) yield* Effect.yieldNow()

      const ticks = (yield* logged("scan_completed")).map((e) => e.details?.["due_jobs"])
      expect(ticks).toEqual([2, 2, 2, 0])
      for (const name of names) expect((yield* getJob(`job_${name}`)).status).toBe("done")
      expect(yield* TestClock.currentTimeMillis).toBe(T0)
    }).pipe(Effect.provide(programsEnv({ maxTasksPerTick: 2 }))))
})
