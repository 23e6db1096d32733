import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { JobId, LocalConversationId } from "../../src/domain/index.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { forceJob } from "../support/jobRows.js"
import { storeBackends } from "../support/storeBackends.js"
import { conversation, newJob } from "./fixtures.js"

const nextAttemptAt = (id: JobId) =>
  Effect.flatMap(ArtifactStore, (store) => store.getJob(id)).pipe(
    Effect.map((job) => Option.getOrThrow(job).next_attempt_at)
  )

describe.each(storeBackends)("job transitions on $name", ({ layer: tempStoreLayer }) => {
  it.layer(tempStoreLayer)((it) => {
    it.effect("transitionJob applies the patch from the expected status and stamps updated_at", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const c = yield* conversation("cas-ok")
        const job = yield* store.insertJob(newJob(c.local_conversation_id, "cas-ok-1", { next_attempt_at: 500 }))
        yield* TestClock.setTime(7_000)
        const moved = yield* store.transitionJob(job.job_id, "pending", {
          status: "failed",
          last_error: "cancelled",
          finished_at: 7_000,
          next_attempt_at: null
        })
        expect(moved).toEqual({
          ...job,
          status: "failed",
          last_error: "cancelled",
          finished_at: 7_000,
          next_attempt_at: null,
          updated_at: 7_000
        })
        expect(yield* store.getJob(job.job_id)).toEqual(Option.some(moved))
      }))

    it.effect("transitionJob from another status changes nothing and reports the actual status", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const c = yield* conversation("cas-conflict")
        const job = yield* store.insertJob(newJob(c.local_conversation_id, "cas-conflict-1"))
        yield* forceJob(job.job_id, { status: "running" })
        const before = yield* store.getJob(job.job_id)
        yield* TestClock.setTime(8_000)
        const conflict = yield* store.transitionJob(job.job_id, "pending", { status: "failed" }).pipe(Effect.flip)
        expect(conflict).toMatchObject({
          _tag: "JobStatusConflict",
          job_id: job.job_id,
          expected: "pending",
          actual: "running"
        })
        expect(yield* store.getJob(job.job_id)).toEqual(before)
      }))

    it.effect("transitionJob on an unknown id is not found; a patch outside the schema is refused", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const missing = yield* store.transitionJob(JobId.make("job_nope"), "failed", { status: "pending" }).pipe(
          Effect.flip
        )
        expect(missing).toMatchObject({ _tag: "RecordNotFound", resource: "renewal_job", id: "job_nope" })
        const c = yield* conversation("cas-bad")
        const job = yield* store.insertJob(newJob(c.local_conversation_id, "cas-bad-1"))
        const bad = yield* store.transitionJob(job.job_id, "pending", { status: "lost" as never }).pipe(Effect.flip)
        expect(bad).toMatchObject({ _tag: "InvalidStoreInput", field: "status" })
      }))
  })

  it.effect("makePendingJobsDue moves only pending jobs due later, everywhere or in one conversation", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const a = yield* conversation("due-a")
      const b = yield* conversation("due-b")
      const insert = (lc: LocalConversationId, id: string, next_attempt_at: number) =>
        store.insertJob(newJob(lc, id, { job_id: JobId.make(id), next_attempt_at }))
      const aLater = yield* insert(a.local_conversation_id, "job_a_later", 50_000)
      const aDue = yield* insert(a.local_conversation_id, "job_a_due", 1_000)
      const aFailed = yield* insert(a.local_conversation_id, "job_a_failed", 60_000)
      const aRunning = yield* insert(a.local_conversation_id, "job_a_running", 70_000)
      const bLater = yield* insert(b.local_conversation_id, "job_b_later", 80_000)
      const bLatest = yield* insert(b.local_conversation_id, "job_b_latest", 90_000)
      yield* forceJob(aFailed.job_id, { status: "failed" })
      yield* forceJob(aRunning.job_id, { status: "running" })

      yield* TestClock.setTime(10_000)
      expect(yield* store.makePendingJobsDue({ now: 10_000, local_conversation_id: a.local_conversation_id })).toBe(1)
      expect(yield* nextAttemptAt(aLater.job_id)).toBe(10_000)
      expect(Option.getOrThrow(yield* store.getJob(aLater.job_id)).updated_at).toBe(10_000)
      expect(yield* nextAttemptAt(aDue.job_id)).toBe(1_000)
      expect(yield* nextAttemptAt(aFailed.job_id)).toBe(60_000)
      expect(yield* nextAttemptAt(aRunning.job_id)).toBe(70_000)
      expect(yield* nextAttemptAt(bLater.job_id)).toBe(80_000)
      expect(yield* nextAttemptAt(bLatest.job_id)).toBe(90_000)

      yield* TestClock.setTime(20_000)
      expect(yield* store.makePendingJobsDue({ now: 20_000 })).toBe(2)
      expect(yield* nextAttemptAt(aLater.job_id)).toBe(10_000)
      expect(yield* nextAttemptAt(bLater.job_id)).toBe(20_000)
      expect(yield* nextAttemptAt(bLatest.job_id)).toBe(20_000)
      expect(yield* nextAttemptAt(aDue.job_id)).toBe(1_000)
      expect(yield* nextAttemptAt(aFailed.job_id)).toBe(60_000)
      expect(yield* nextAttemptAt(aRunning.job_id)).toBe(70_000)

      expect(yield* store.makePendingJobsDue({ now: 20_000 })).toBe(0)
      expect(
        yield* store.makePendingJobsDue({ now: 20_000, local_conversation_id: LocalConversationId.make("lc_none") })
      ).toBe(0)
    }).pipe(Effect.provide(tempStoreLayer)))
})
