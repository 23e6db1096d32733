import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Option, TestClock } from "effect"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { storeBackends } from "../support/storeBackends.js"
import { conversation, message, newJob, snapshot } from "./fixtures.js"

const claimRequest = { node_id: "node-a", run_id: "run-a", now: 5_000, limit: 10 }

// The reads and probes both stores must answer alike: salvage of undecodable rows, the list's
// fast path, the next due time and when each message was received.
describe.each(storeBackends)("salvage and probes on $name", ({ layer }) => {
  it.layer(layer)((it) => {
    it.effect("a job whose snapshot no longer parses is read salvaged, listed the slow way, and quarantined when claimed", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const sql = yield* SqlClient.SqlClient
        const c = yield* conversation("salvage-1")
        const job = yield* store.insertJob(
          newJob(c.local_conversation_id, "sm-1", { target_snapshot: snapshot, next_attempt_at: 1_000 })
        )
        const filter = { local_conversation_id: c.local_conversation_id, limit: 10, offset: 0 }
        expect(Either.isRight(yield* store.listStoredJobs(filter))).toBe(true)

        yield* sql`UPDATE renewal_jobs SET target_snapshot = '{not json' WHERE job_id = ${job.job_id}`
        const listed = yield* store.listStoredJobs(filter)
        expect(Either.isLeft(listed)).toBe(true)
        expect(Either.getLeft(listed).pipe(Option.getOrThrow)[0]).toMatchObject({
          job_id: job.job_id,
          last_error: "corrupt_record",
          target_snapshot: null
        })
        expect(Option.getOrThrow(yield* store.getJob(job.job_id))).toMatchObject({ last_error: "corrupt_record" })

        yield* TestClock.setTime(5_000)
        const [claimed] = yield* store.claimDueJobs(claimRequest)
        expect(claimed).toMatchObject({
          job_id: job.job_id,
          status: "failed",
          last_error: "corrupt_record",
          finished_at: 5_000
        })
        expect(yield* store.claimDueJobs({ ...claimRequest, now: 60_000 })).toEqual([])
      }))

    it.effect("the next due time is the earliest pending job due after now", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const c = yield* conversation("due-1")
        const d = yield* conversation("due-2")
        expect(yield* store.nextDueAfter(1_000_000)).toBeNull()
        yield* store.insertJob(newJob(c.local_conversation_id, "dm-1", { next_attempt_at: 1_000_500 }))
        yield* store.insertJob(newJob(d.local_conversation_id, "dm-2", { next_attempt_at: 1_000_200 }))
        expect(yield* store.nextDueAfter(1_000_000)).toBe(1_000_200)
        expect(yield* store.nextDueAfter(1_000_200)).toBe(1_000_500)
        expect(yield* store.nextDueAfter(1_000_500)).toBeNull()
      }))

    it.effect("a message is stamped with when the store received it, unless the caller says", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        yield* TestClock.setTime(7_000)
        const stamped = yield* store.insertMessage(message("rm-1", { observed_at: 9_000 }))
        expect(stamped.message).toMatchObject({ observed_at: 9_000, received_at: 7_000 })
        const given = yield* store.insertMessage(message("rm-2", { received_at: 6_000 }))
        expect(given.message).toMatchObject({ received_at: 6_000 })
      }))
  })
})
