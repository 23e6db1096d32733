import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Fiber, Layer, Option, TestClock } from "effect"
import { JobId, LocalConversationId, type RenewalJob } from "../../src/domain/index.js"
import * as WakeupsLive from "../../src/layers/WakeupsLive.js"
import * as RenewalControl from "../../src/programs/control/RenewalControl.js"
import { ArtifactStore, type JobPatch } from "../../src/services/ArtifactStore.js"
import { DISPATCHER, Wakeups } from "../../src/services/Wakeups.js"
import { conversation, newJob } from "../store/fixtures.js"
import { forceJob } from "../support/jobRows.js"
import { tempStoreLayer } from "../support/tempStore.js"

const NOW = 10_000
const LATER = 3_600_000

/** A fresh store and wake-ups per test, so no wake is left over from another test. */
const env = Layer.mergeAll(tempStoreLayer, WakeupsLive.layer)

/** Whether a dispatcher wake-up is waiting: a take that completes before the clock moves on. */
const dispatcherWoken = Effect.gen(function*() {
  const take = yield* Effect.fork(
    Effect.flatMap(Wakeups, (w) => w.take(DISPATCHER)).pipe(Effect.timeoutOption("1 millis"))
  )
  yield* TestClock.adjust("1 millis")
  return Option.isSome(yield* Fiber.join(take))
})

const jobIn = (remote: string, status: "auto" | "manual" | "paused", patch: JobPatch = {}, next_attempt_at = LATER) =>
  Effect.gen(function*() {
    const store = yield* ArtifactStore
    const c = yield* conversation(remote, status)
    const job = yield* store.insertJob(newJob(c.local_conversation_id, `${remote}-msg`, { next_attempt_at }))
    const patched = Object.keys(patch).length === 0 ? job : yield* forceJob(job.job_id, patch)
    return { conversation: c, job: patched }
  }).pipe(Effect.orDie)

const reread = (job: RenewalJob) =>
  Effect.flatMap(ArtifactStore, (store) => store.getJob(job.job_id)).pipe(Effect.map(Option.getOrThrow))

describe("RenewalControl", () => {
  it.effect("retry sends a failed job back to pending, due now, with one more attempt when spent", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const { job } = yield* jobIn("retry-spent", "auto", {
        status: "failed",
        attempt_count: 3,
        last_error: "delivery_timeout",
        finished_at: 5_000,
        next_attempt_at: null
      })
      const retried = yield* RenewalControl.retryJob(job.job_id)
      expect(retried).toMatchObject({
        status: "pending",
        next_attempt_at: NOW,
        finished_at: null,
        last_error: "delivery_timeout",
        attempt_count: 3,
        max_attempts: 4
      })
      expect(yield* reread(job)).toEqual(retried)
      expect(yield* dispatcherWoken).toBe(true)

      const again = yield* RenewalControl.retryJob(job.job_id).pipe(Effect.flip)
      expect(again).toMatchObject({
        _tag: "JobStatusConflict",
        job_id: job.job_id,
        expected: "failed",
        actual: "pending"
      })
      const missing = yield* RenewalControl.retryJob(JobId.make("job_missing")).pipe(Effect.flip)
      expect(missing).toMatchObject({ _tag: "RecordNotFound", resource: "renewal_job", id: "job_missing" })
    }).pipe(Effect.provide(env)))

  it.effect("retry keeps max_attempts when attempts remain", () =>
    Effect.gen(function*() {
      const { job } = yield* jobIn("retry-left", "auto", {
        status: "failed",
        attempt_count: 1,
        last_error: "no_active_client"
      })
      expect(yield* RenewalControl.retryJob(job.job_id)).toMatchObject({
        status: "pending",
        attempt_count: 1,
        max_attempts: 3
      })
    }).pipe(Effect.provide(env)))

  it.effect("cancel fails a pending job as cancelled without waking the dispatcher", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const { job } = yield* jobIn("cancel", "auto")
      const cancelled = yield* RenewalControl.cancelJob(job.job_id)
      expect(cancelled).toMatchObject({
        status: "failed",
        last_error: "cancelled",
        finished_at: NOW,
        next_attempt_at: null
      })
      expect(yield* dispatcherWoken).toBe(false)
      const again = yield* RenewalControl.cancelJob(job.job_id).pipe(Effect.flip)
      expect(again).toMatchObject({ _tag: "JobStatusConflict", expected: "pending", actual: "failed" })
      const missing = yield* RenewalControl.cancelJob(JobId.make("job_missing")).pipe(Effect.flip)
      expect(missing).toMatchObject({ _tag: "RecordNotFound", resource: "renewal_job" })
    }).pipe(Effect.provide(env)))

  it.effect("a cancel that lands after a claim is a conflict and leaves the claimed job running", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      yield* TestClock.setTime(NOW)
      const { job } = yield* jobIn("cancel-claimed", "auto", {}, NOW)
      const [claimed] = yield* store.claimDueJobs({ node_id: "node-a", run_id: "run-a", now: NOW, limit: 1 })
      expect(claimed?.job_id).toBe(job.job_id)
      const refused = yield* RenewalControl.cancelJob(job.job_id).pipe(Effect.flip)
      expect(refused).toMatchObject({
        _tag: "JobStatusConflict",
        job_id: job.job_id,
        expected: "pending",
        actual: "running"
      })
      expect(yield* reread(job)).toEqual(claimed)
    }).pipe(Effect.provide(env)))

  it.effect("switching a conversation to auto makes its waiting jobs due and wakes the dispatcher", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const paused = yield* jobIn("switch-paused", "paused")
      const other = yield* jobIn("switch-other", "paused")

      const manual = yield* RenewalControl.setConversationStatus(paused.conversation.local_conversation_id, "manual")
      expect(manual).toMatchObject({ automation_status: "manual", paused_at: null })
      expect((yield* reread(paused.job)).next_attempt_at).toBe(LATER)
      expect(yield* dispatcherWoken).toBe(false)

      const switchedAt = yield* Clock.currentTimeMillis
      const auto = yield* RenewalControl.setConversationStatus(paused.conversation.local_conversation_id, "auto")
      expect(auto.automation_status).toBe("auto")
      expect((yield* reread(paused.job)).next_attempt_at).toBe(switchedAt)
      expect((yield* reread(other.job)).next_attempt_at).toBe(LATER)
      expect(yield* dispatcherWoken).toBe(true)
    }).pipe(Effect.provide(env)))

  it.effect("auto on an auto conversation is a no-op that returns the record and still wakes the dispatcher", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const { conversation: c, job } = yield* jobIn("already-auto", "auto")
      const same = yield* RenewalControl.setConversationStatus(c.local_conversation_id, "auto")
      expect(same).toEqual(c)
      expect((yield* reread(job)).next_attempt_at).toBe(LATER)
      expect(yield* dispatcherWoken).toBe(true)
      const missing = yield* RenewalControl.setConversationStatus(LocalConversationId.make("lc_missing"), "auto").pipe(
        Effect.flip
      )
      expect(missing).toMatchObject({ _tag: "RecordNotFound", resource: "conversation", id: "lc_missing" })
    }).pipe(Effect.provide(env)))

  it.effect("resuming the system makes every waiting job due and wakes the dispatcher; other switches do not", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const a = yield* jobIn("resume-a", "auto")
      const b = yield* jobIn("resume-b", "manual")
      const done = yield* jobIn("resume-done", "auto", { status: "done", next_attempt_at: LATER })

      expect(yield* RenewalControl.setSystemAutomation("running")).toBe("running")
      expect((yield* reread(a.job)).next_attempt_at).toBe(LATER)
      expect(yield* dispatcherWoken).toBe(false)

      expect(yield* RenewalControl.setSystemAutomation("paused")).toBe("paused")
      expect(yield* RenewalControl.setSystemAutomation("draining")).toBe("draining")
      expect(yield* dispatcherWoken).toBe(false)

      const resumedAt = yield* Clock.currentTimeMillis
      expect(yield* RenewalControl.setSystemAutomation("running")).toBe("running")
      expect((yield* reread(a.job)).next_attempt_at).toBe(resumedAt)
      expect((yield* reread(b.job)).next_attempt_at).toBe(resumedAt)
      expect(yield* reread(done.job)).toEqual(done.job)
      expect(yield* dispatcherWoken).toBe(true)
      expect(yield* Effect.flatMap(ArtifactStore, (s) => s.systemAutomation)).toBe("running")
    }).pipe(Effect.provide(env)))
})
