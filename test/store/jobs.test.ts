import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { JobId, LocalConversationId, MessageId } from "../../src/domain/index.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { forceJob } from "../support/jobRows.js"
import { storeBackends } from "../support/storeBackends.js"
import { conversation, newJob, snapshot } from "./fixtures.js"

const jobIds = (list: ReadonlyArray<{ readonly job_id: string }>) => list.map((j) => j.job_id)

describe.each(storeBackends)("jobs on $name", ({ layer: tempStoreLayer }) => {
  it.layer(tempStoreLayer)((it) => {
    it.effect("inserts a pending job stamped by the clock, with its snapshot parsed back", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const c = yield* conversation("jobs-1")
        yield* TestClock.setTime(1_234)
        const job = yield* store.insertJob(
          newJob(c.local_conversation_id, "jm-1", { target_snapshot: snapshot, next_attempt_at: 2_000 })
        )
        expect(job).toMatchObject({
          status: "pending",
          attempt_count: 0,
          max_attempts: 3,
          next_attempt_at: 2_000,
          target_snapshot: snapshot,
          last_error: null,
          created_at: 1_234,
          updated_at: 1_234
        })
        expect(job.job_id).toMatch(/^job_/)
        expect(yield* store.getJob(job.job_id)).toEqual(Option.some(job))
      }))

    it.effect("one job per message, ever", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const c = yield* conversation("jobs-unique")
        yield* store.insertJob(newJob(c.local_conversation_id, "jm-unique"))
        const error = yield* store.insertJob(newJob(c.local_conversation_id, "jm-unique")).pipe(Effect.flip)
        expect(error).toMatchObject({ _tag: "JobAlreadyExists", message_id: "jm-unique" })
        expect(yield* store.listJobs({ message_id: MessageId.make("jm-unique"), limit: 20, offset: 0 })).toHaveLength(1)
      }))

    it.effect("refuses a job for an unknown conversation or with values outside the schema", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const orphan = yield* store.insertJob(newJob(LocalConversationId.make("lc_missing"), "jm-orphan")).pipe(
          Effect.flip
        )
        expect(orphan).toMatchObject({ _tag: "InvalidStoreInput", field: "local_conversation_id" })
        const c = yield* conversation("jobs-bad")
        const zero = yield* store.insertJob(newJob(c.local_conversation_id, "jm-bad", { max_attempts: 0 })).pipe(
          Effect.flip
        )
        expect(zero).toMatchObject({ _tag: "InvalidStoreInput", field: "max_attempts" })
        const kind = yield* store.insertJob(newJob(c.local_conversation_id, "jm-bad", { payload_kind: "xml" as never }))
          .pipe(Effect.flip)
        expect(kind).toMatchObject({ _tag: "InvalidStoreInput", field: "payload_kind" })
        expect(yield* store.listJobs({ message_id: MessageId.make("jm-orphan"), limit: 20, offset: 0 })).toEqual([])
      }))
  })

  it.effect("lists newest created_at first, ties by job_id desc, with every filter and pages", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const a = yield* conversation("JL-a")
      const b = yield* conversation("JL-b")
      yield* TestClock.setTime(100)
      const j1 = yield* store.insertJob(newJob(a.local_conversation_id, "jl-1", { job_id: JobId.make("job_1") }))
      yield* TestClock.setTime(200)
      const j2 = yield* store.insertJob(newJob(b.local_conversation_id, "jl-2", { job_id: JobId.make("job_2") }))
      const j3 = yield* store.insertJob(newJob(a.local_conversation_id, "jl-3", { job_id: JobId.make("job_3") }))
      yield* TestClock.setTime(300)
      const j4 = yield* store.insertJob(newJob(b.local_conversation_id, "jl-4", { job_id: JobId.make("job_4") }))
      yield* forceJob(j2.job_id, { status: "failed" })
      yield* forceJob(j4.job_id, { status: "done" })
      const page = { limit: 20, offset: 0 }

      expect(jobIds(yield* store.listJobs(page))).toEqual([j4.job_id, j3.job_id, j2.job_id, j1.job_id])
      expect(jobIds(yield* store.listJobs({ ...page, status: "pending" }))).toEqual([j3.job_id, j1.job_id])
      expect(jobIds(yield* store.listJobs({ ...page, status: "failed" }))).toEqual([j2.job_id])
      expect(jobIds(yield* store.listJobs({ ...page, local_conversation_id: b.local_conversation_id }))).toEqual([
        j4.job_id,
        j2.job_id
      ])
      expect(jobIds(yield* store.listJobs({ ...page, message_id: MessageId.make("jl-3") }))).toEqual([j3.job_id])
      expect(
        jobIds(yield* store.listJobs({ ...page, status: "done", local_conversation_id: b.local_conversation_id }))
      ).toEqual([j4.job_id])
      expect(jobIds(yield* store.listJobs({ limit: 2, offset: 1 }))).toEqual([j3.job_id, j2.job_id])
      expect(yield* store.listJobs({ limit: 20, offset: 4 })).toEqual([])
      expect(yield* store.listJobs({ ...page, status: "running" })).toEqual([])
    }).pipe(Effect.provide(tempStoreLayer)))
})
