import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Layer, Queue, Ref, Scope, TestClock } from "effect"
import * as WakeupsLive from "../../src/layers/WakeupsLive.js"
import type { Runner } from "../../src/programs/timedJobs/Runner.js"
import * as Scheduler from "../../src/programs/timedJobs/Scheduler.js"
import { type TickContext, UnknownRunner } from "../../src/services/TimedJobs.js"
import { Wakeups } from "../../src/services/Wakeups.js"
import * as RenewalLogTest from "../support/RenewalLogTest.js"
import { configLayer, NODE_ID } from "./fixtures.js"

const env = (role: "primary" | "standby" = "primary") =>
  Layer.mergeAll(configLayer({ intervalMs: 5000 }, { role }), RenewalLogTest.layer, WakeupsLive.layer)

/** A runner that reports each tick's context on a queue, so a test waits for ticks instead of time. */
const recording = Effect.gen(function*() {
  const ticks = yield* Queue.unbounded<TickContext>()
  const runner: Runner<never> = {
    name: "test.recording",
    tick: (context) => Queue.offer(ticks, context).pipe(Effect.as({ result: "ok", details: { n: 1 } }))
  }
  return { ticks, runner }
})

describe("timed-jobs scheduler", () => {
  it.scoped("ticks every interval with the tick context", () =>
    Effect.gen(function*() {
      const { ticks, runner } = yield* recording
      yield* Scheduler.make([runner])
      yield* TestClock.adjust("4999 millis")
      expect(yield* Queue.size(ticks)).toBe(0)
      yield* TestClock.adjust("1 millis")
      const first = yield* Queue.take(ticks)
      expect(first).toMatchObject({
        trigger: "schedule",
        interval_ms: 5000,
        max_messages_per_tick: 10,
        max_tasks_per_tick: 10,
        settle_delay_ms: 0,
        log_dir: RenewalLogTest.DIRECTORY,
        node_id: NODE_ID,
        role: "primary"
      })
      expect(first.batch_id).toMatch(/^batch_/)
      yield* TestClock.adjust("5000 millis")
      const second = yield* Queue.take(ticks)
      expect(second.trigger).toBe("schedule")
      expect(second.batch_id).not.toBe(first.batch_id)
    }).pipe(Effect.provide(env())))

  it.scoped("a wake-up runs a tick at once, and a wake during no wait is kept", () =>
    Effect.gen(function*() {
      const { ticks, runner } = yield* recording
      const wakeups = yield* Wakeups
      yield* wakeups.wake(runner.name)
      yield* Scheduler.make([runner])
      expect((yield* Queue.take(ticks)).trigger).toBe("wake")
      yield* wakeups.wake(runner.name)
      expect((yield* Queue.take(ticks)).trigger).toBe("wake")
    }).pipe(Effect.provide(env())))

  it.scoped("a wake-up restarts the interval: the timer it cut short never ticks", () =>
    Effect.gen(function*() {
      const { ticks, runner } = yield* recording
      const wakeups = yield* Wakeups
      yield* Scheduler.make([runner])
      yield* TestClock.adjust("3000 millis")
      yield* wakeups.wake(runner.name)
      expect((yield* Queue.take(ticks)).trigger).toBe("wake")
      for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
      // The first interval would have ended at 5000; the next one ends 5000 after the wake.
      yield* TestClock.adjust("4999 millis")
      expect(yield* Queue.size(ticks)).toBe(0)
      yield* TestClock.adjust("1 millis")
      expect((yield* Queue.take(ticks)).trigger).toBe("schedule")
      for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
      expect(yield* Queue.size(ticks)).toBe(0)
    }).pipe(Effect.provide(env())))

  it.scoped("wake-ups signalled before a tick starts are served by it; one during a tick brings another", () =>
    Effect.gen(function*() {
      const { ticks, runner } = yield* recording
      const wakeups = yield* Wakeups
      yield* Scheduler.make([runner])
      for (let i = 0; i < 5; i++) yield* Effect.yieldNow()
      // The first resumes the waiting scheduler, the second is kept: both come before the tick.
      yield* wakeups.wake(runner.name)
      yield* wakeups.wake(runner.name)
      expect((yield* Queue.take(ticks)).trigger).toBe("wake")
      for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
      expect(yield* Queue.size(ticks)).toBe(0)

      const release = yield* Deferred.make<void>()
      const slow: Runner<never> = {
        name: "test.slow",
        tick: () => Effect.as(Deferred.await(release), { result: "ok", details: {} })
      }
      const started = yield* Ref.make(0)
      yield* Scheduler.make([{
        ...slow,
        tick: (c) => Effect.zipRight(Ref.update(started, (n) => n + 1), slow.tick(c))
      }])
      yield* wakeups.wake(slow.name)
      while ((yield* Ref.get(started)) === 0) yield* Effect.yieldNow()
      yield* wakeups.wake(slow.name)
      yield* Deferred.succeed(release, undefined)
      while ((yield* Ref.get(started)) === 1) yield* Effect.yieldNow()
    }).pipe(Effect.provide(env())))

  it.scoped("runNow runs one manual tick, records it, and refuses unknown runners", () =>
    Effect.gen(function*() {
      const { runner } = yield* recording
      const jobs = yield* Scheduler.make([runner])
      expect((yield* jobs.runners)[0]).toEqual({ name: runner.name, interval_ms: 5000, last_tick: null })
      yield* TestClock.adjust("123 millis")
      const record = yield* jobs.runNow(runner.name)
      expect(record).toMatchObject({ trigger: "manual", result: "ok", details: { n: 1 }, started_at: 123 })
      expect((yield* jobs.runners)[0]?.last_tick).toEqual(record)
      const unknown = yield* Effect.flip(jobs.runNow("nope"))
      expect(unknown).toEqual(new UnknownRunner({ name: "nope" }))
    }).pipe(Effect.provide(env())))

  it.scoped("a failing or dying runner is recorded as error and keeps its schedule", () =>
    Effect.gen(function*() {
      const calls = yield* Ref.make(0)
      const runner: Runner<string> = {
        name: "test.flaky",
        tick: () =>
          Ref.updateAndGet(calls, (n) => n + 1).pipe(
            Effect.flatMap((n) =>
              n === 1
                ? Effect.fail("boom")
                : n === 2
                ? Effect.die("crash")
                : Effect.succeed({ result: "ok", details: {} })
            )
          )
      }
      const jobs = yield* Scheduler.make([runner])
      expect((yield* jobs.runNow(runner.name)).result).toBe("error")
      expect((yield* jobs.runNow(runner.name)).result).toBe("error")
      const logged = yield* RenewalLogTest.RenewalLogEntries.pipe(Effect.flatMap((e) => e.stages("tick_failed")))
      expect(logged.map((e) => [e.runner, e.result])).toEqual([
        ["test.flaky", "error"],
        ["test.flaky", "error"]
      ])
      yield* TestClock.adjust("5000 millis")
      expect((yield* jobs.runNow(runner.name)).result).toBe("ok")
      expect(yield* Ref.get(calls)).toBe(4)
    }).pipe(Effect.provide(env())))

  it.scoped("ticks of one runner never overlap", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const inFlight = yield* Ref.make(0)
      const maxInFlight = yield* Ref.make(0)
      const runner: Runner<never> = {
        name: "test.slow",
        tick: () =>
          Ref.updateAndGet(inFlight, (n) => n + 1).pipe(
            Effect.tap((n) => Ref.update(maxInFlight, (m) => Math.max(m, n))),
            Effect.zipRight(Deferred.await(gate)),
            Effect.zipRight(Ref.update(inFlight, (n) => n - 1)),
            Effect.as({ result: "ok", details: {} })
          )
      }
      const jobs = yield* Scheduler.make([runner])
      const manual = yield* Effect.fork(jobs.runNow(runner.name))
      yield* TestClock.adjust("5000 millis")
      const second = yield* Effect.fork(jobs.runNow(runner.name))
      yield* Deferred.succeed(gate, undefined)
      yield* manual.await
      yield* second.await
      expect(yield* Ref.get(maxInFlight)).toBe(1)
    }).pipe(Effect.provide(env())))

  it.effect("closing the scope stops every runner", () =>
    Effect.gen(function*() {
      const { ticks, runner } = yield* recording
      const scope = yield* Scope.make()
      yield* Scheduler.make([runner]).pipe(Scope.extend(scope))
      yield* TestClock.adjust("5000 millis")
      yield* Queue.take(ticks)
      yield* Scope.close(scope, Exit.void)
      yield* TestClock.adjust("60000 millis")
      yield* (yield* Wakeups).wake(runner.name)
      expect(yield* Queue.size(ticks)).toBe(0)
    }).pipe(Effect.provide(env())))

  it.scoped("a standby node keeps its runners idle", () =>
    Effect.gen(function*() {
      const { ticks, runner } = yield* recording
      const jobs = yield* Scheduler.make([runner])
      yield* TestClock.adjust("15000 millis")
      const record = yield* jobs.runNow(runner.name)
      expect(record.result).toBe("standby")
      expect(yield* Queue.size(ticks)).toBe(0)
      expect((yield* jobs.runners)[0]?.last_tick?.result).toBe("standby")
    }).pipe(Effect.provide(env("standby"))))
})
