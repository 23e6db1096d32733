import { describe, expect, it } from "@effect/vitest"
import { Context, Deferred, Effect, Layer, TestClock } from "effect"
import { ClientId, MessageId, NoActiveClient, RemoteConversationId } from "../../src/domain/index.js"
import * as Dispatcher from "../../src/programs/dispatcher/Dispatcher.js"
import { recordFinalMessage } from "../../src/programs/ingest/index.js"
import * as RenewalPrograms from "../../src/programs/RenewalPrograms.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { TimedJobs } from "../../src/services/TimedJobs.js"
import * as BrowserBridgeTest from "../support/BrowserBridgeTest.js"
import { programsEnv, tickContext } from "./dispatcherEnv.js"
import { T0 } from "./fixtures.js"
import { conversationWithJob, getJob, untilFinished } from "./seed.js"

const script = BrowserBridgeTest.BrowserBridgeScript
const startPrograms = Layer.build(RenewalPrograms.layer).pipe(Effect.map((ctx) => Context.get(ctx, TimedJobs)))
const woken = (n = 1) => ({ ...tickContext(n), trigger: "wake" as const })
const DAY = 86_400_000

/** A final reply from the one ChatGPT tab, as the bridge hands it to ingest. */
const reply = (conversation: string, message: string, text: string, observed_at: number) =>
  recordFinalMessage(ClientId.make("firefox-chatgpt"), {
    type: "browser.final_message",
    platform: "chatgpt",
    conversation_id: RemoteConversationId.make(conversation),
    message_id: MessageId.make(message),
    role: "assistant",
    text,
    observed_at,
    page_url: `https://chatgpt.com/c/${conversation}`,
    tab_id: 5
  })

/** Lets the delivery fibers run until job `id` has had `attempts` attempts and is no longer `running`. */
const settled = (id: string, attempts = 1) =>
  Effect.gen(function*() {
    for (;;) {
      const job = yield* getJob(id)
      if (job.status !== "running" && job.attempt_count >= attempts) return job
      yield* Effect.yieldNow()
    }
  })

describe("delivery pipeline", () => {
  it.scoped("a silent delivery does not delay another conversation's", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("silent", T0, { tab_id: 1, next_attempt_at: T0 - 1 })
      yield* conversationWithJob("healthy", T0, { tab_id: 2 })
      const bridge = yield* script
      yield* bridge.respond(Effect.never, BrowserBridgeTest.accepted())
      const { runner } = yield* Dispatcher.make

      const tick = yield* runner.tick(woken())
      expect(tick.details).toMatchObject({ due_jobs: 2, launched_jobs: 2 })
      // The clock has not moved: the healthy job is done while the silent one is still out.
      expect(yield* settled("job_healthy")).toMatchObject({ status: "done", finished_at: T0 })
      expect(yield* getJob("job_silent")).toMatchObject({ status: "running" })
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("max-in-flight bounds the claim; a finished delivery frees its slot", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      for (const n of [1, 2, 3]) yield* conversationWithJob(`c${n}`, T0, { tab_id: n })
      const release = yield* Deferred.make<void>()
      const held = Deferred.await(release).pipe(Effect.zipRight(BrowserBridgeTest.accepted()))
      yield* (yield* script).respond(held, held, BrowserBridgeTest.accepted())
      const { inFlight, runner } = yield* Dispatcher.make

      expect((yield* runner.tick(woken(1))).details).toMatchObject({ due_jobs: 2 })
      expect(yield* inFlight.size).toBe(2)
      expect((yield* runner.tick(woken(2))).details).toMatchObject({ due_jobs: 0 })
      yield* Deferred.succeed(release, undefined)
      yield* inFlight.idle
      expect((yield* runner.tick(woken(3))).details).toMatchObject({ due_jobs: 1 })
      yield* inFlight.idle
      expect((yield* getJob("job_c3")).status).toBe("done")
    }).pipe(Effect.provide(programsEnv({ maxInFlight: 2 }))))

  it.scoped("drain lets a delivery in flight finish and be recorded, and starts no new one", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("out", T0, { tab_id: 1 })
      const release = yield* Deferred.make<void>()
      yield* (yield* script).respond(Deferred.await(release).pipe(Effect.zipRight(BrowserBridgeTest.accepted())))
      const { inFlight, runner } = yield* Dispatcher.make
      yield* runner.tick(woken(1))
      const store = yield* ArtifactStore
      yield* store.setSystemAutomation("draining")
      yield* conversationWithJob("next", T0, { tab_id: 2 })

      expect((yield* runner.tick(woken(2))).details).toMatchObject({ due_jobs: 1 })
      yield* Deferred.succeed(release, undefined)
      yield* inFlight.idle
      expect(yield* getJob("job_out")).toMatchObject({ status: "done" })
      expect(yield* getJob("job_next")).toMatchObject({ status: "pending", attempt_count: 0 })
      expect((yield* (yield* script).requests).map((r) => r.plan_id)).toEqual(["plan_job_out"])
    }).pipe(Effect.provide(programsEnv())))
})

describe("event-driven wake-ups", () => {
  it.scoped("a retry is claimed at its next_attempt_at, with an interval of a day", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("retry", T0)
      const bridge = yield* script
      yield* bridge.respond(
        BrowserBridgeTest.rejected(new NoActiveClient({ client_id: "firefox-chatgpt" })),
        BrowserBridgeTest.accepted()
      )
      yield* startPrograms
      const retried = yield* settled("job_retry")
      expect(retried).toMatchObject({ status: "pending", next_attempt_at: T0 + 1000 })

      yield* TestClock.adjust("999 millis")
      expect((yield* getJob("job_retry")).status).toBe("pending")
      yield* TestClock.adjust("1 millis")
      const done = yield* untilFinished("msg_retry")
      expect(done).toMatchObject({ status: "done", attempt_count: 2, finished_at: T0 + 1000 })
    }).pipe(Effect.provide(programsEnv({ intervalMs: DAY, retryBaseDelayMs: 1000 }))))

  it.scoped("a stored reply is projected and delivered without waiting an interval; a settle delay is a timer", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* (yield* script).respond(BrowserBridgeTest.accepted())
      yield* startPrograms
      yield* reply("conv_live", "msg_live", "fresh", T0)
      const store = yield* ArtifactStore
      yield* TestClock.adjust("499 millis")
      expect(yield* store.listJobs({ limit: 10, offset: 0 })).toHaveLength(0)
      yield* TestClock.adjust("1 millis")
      expect(yield* untilFinished("msg_live")).toMatchObject({ status: "done", finished_at: T0 + 500 })
    }).pipe(Effect.provide(programsEnv({ intervalMs: DAY, settleDelayMs: 500, defaultAutomationStatus: "auto" }))))
})

describe("a browser clock ahead of the daemon's", () => {
  it.scoped("does not postpone the reply's delivery: it settles from its receipt", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* (yield* script).respond(BrowserBridgeTest.accepted())
      yield* startPrograms
      yield* reply("conv_ahead", "msg_ahead", "from the future", T0 + 60_000)
      yield* TestClock.adjust("500 millis")
      expect(yield* untilFinished("msg_ahead")).toMatchObject({ status: "done", finished_at: T0 + 500 })
    }).pipe(Effect.provide(programsEnv({ intervalMs: DAY, settleDelayMs: 500, defaultAutomationStatus: "auto" }))))
})
