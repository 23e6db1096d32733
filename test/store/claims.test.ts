import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { forceJob } from "../support/jobRows.js"
import { storeBackends } from "../support/storeBackends.js"
import { conversation, newJob } from "./fixtures.js"

const claimant = { node_id: "node-1", run_id: "run-1" }
const messages = (list: ReadonlyArray<{ readonly message_id: string }>) => list.map((j) => j.message_id)

describe.each(storeBackends)("claims on $name", ({ layer: tempStoreLayer }) => {
  it.effect("claims due pending jobs oldest first, up to the limit, and leaves attempt fields to the dispatcher", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      for (const [name, due] of [["c30", 30], ["c10", 10], ["c20", 20], ["c50", 50]] as const) {
        const c = yield* conversation(name)
        yield* store.insertJob(newJob(c.local_conversation_id, name, { next_attempt_at: due }))
      }
      const done = yield* conversation("done")
      const finished = yield* store.insertJob(newJob(done.local_conversation_id, "finished", { next_attempt_at: 0 }))
      yield* forceJob(finished.job_id, { status: "done" })

      yield* TestClock.setTime(41)
      const first = yield* store.claimDueJobs({ ...claimant, now: 40, limit: 2 })
      expect(messages(first)).toEqual(["c10", "c20"])
      expect(first[0]).toMatchObject({
        status: "running",
        attempt_count: 0,
        started_at: null,
        last_attempt_at: null,
        updated_at: 41
      })
      expect(messages(yield* store.claimDueJobs({ ...claimant, now: 40, limit: 2 }))).toEqual(["c30"])
      expect(yield* store.claimDueJobs({ ...claimant, now: 40, limit: 2 })).toEqual([])
      expect(yield* store.claimDueJobs({ ...claimant, now: 100, limit: 0 })).toEqual([])
      expect(messages(yield* store.claimDueJobs({ ...claimant, now: 100, limit: 5 }))).toEqual(["c50"])
    }).pipe(Effect.provide(tempStoreLayer)))

  it.effect("takes at most one job per conversation and none while one of its jobs is running", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const x = yield* conversation("x")
      const y = yield* conversation("y")
      yield* store.insertJob(newJob(x.local_conversation_id, "x-20", { next_attempt_at: 20 }))
      yield* store.insertJob(newJob(x.local_conversation_id, "x-10", { next_attempt_at: 10 }))
      yield* store.insertJob(newJob(y.local_conversation_id, "y-15", { next_attempt_at: 15 }))

      const first = yield* store.claimDueJobs({ ...claimant, now: 100, limit: 10 })
      expect(messages(first)).toEqual(["x-10", "y-15"])
      expect(yield* store.claimDueJobs({ ...claimant, now: 100, limit: 10 })).toEqual([])

      // Deferred back to pending: it is again the conversation's oldest due job.
      yield* forceJob(first[0]!.job_id, { status: "pending", next_attempt_at: 30 })
      expect(messages(yield* store.claimDueJobs({ ...claimant, now: 100, limit: 10 }))).toEqual(["x-20"])
      yield* forceJob(first[1]!.job_id, { status: "done", next_attempt_at: null })
      expect(yield* store.claimDueJobs({ ...claimant, now: 100, limit: 10 })).toEqual([])
    }).pipe(Effect.provide(tempStoreLayer)))

  it.effect("recovers running jobs of an earlier run of this node, or claimed before the bound, in one statement", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const a = yield* conversation("stale-a")
      const b = yield* conversation("stale-b")
      const c = yield* conversation("stale-c")
      yield* store.insertJob(newJob(a.local_conversation_id, "stale-a", { next_attempt_at: 1 }))
      yield* store.insertJob(newJob(b.local_conversation_id, "stale-b", { next_attempt_at: 2 }))
      yield* store.insertJob(newJob(c.local_conversation_id, "stale-c", { next_attempt_at: 3, max_attempts: 1 }))
      yield* store.claimDueJobs({ node_id: "node-1", run_id: "run-old", now: 1_000, limit: 1 })
      yield* store.claimDueJobs({ node_id: "node-2", run_id: "run-x", now: 5_000, limit: 2 })
      const recover = (node_id: string, run_id: string, claimed_before: number) =>
        store.recoverStaleJobs({
          node_id,
          run_id,
          claimed_before,
          now: 9_000,
          last_error: "stale_running",
          log_path: "x.jsonl"
        })

      expect(yield* recover("node-1", "run-old", 0)).toEqual([])
      yield* TestClock.setTime(9_000)
      const newRun = yield* recover("node-1", "run-new", 0)
      expect(messages(newRun)).toEqual(["stale-a"])
      expect(newRun[0]).toMatchObject({
        status: "pending",
        attempt_count: 1,
        last_error: "stale_running",
        next_attempt_at: 9_000,
        finished_at: null,
        log_path: "x.jsonl",
        updated_at: 9_000
      })
      // Recovered once: it is pending now, no second recovery finds it.
      expect(yield* recover("node-3", "run-y", 2_000)).toEqual([])
      const late = yield* recover("node-3", "run-y", 6_000)
      expect(messages(late).sort()).toEqual(["stale-b", "stale-c"])
      expect(late.find((j) => j.message_id === "stale-c")).toMatchObject({
        status: "failed",
        attempt_count: 1,
        next_attempt_at: null,
        finished_at: 9_000
      })
    }).pipe(Effect.provide(tempStoreLayer)))

  it.effect("a claimed write holds only under its claim, and only while the job is running", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const c = yield* conversation("claimed")
      const job = yield* store.insertJob(newJob(c.local_conversation_id, "claimed", { next_attempt_at: 1 }))
      const claim = { node_id: "node-1", run_id: "run-1", claimed_at: 1_000 }
      yield* store.claimDueJobs({ ...claim, now: claim.claimed_at, limit: 1 })

      for (
        const other of [{ ...claim, node_id: "node-2" }, { ...claim, run_id: "run-2" }, { ...claim, claimed_at: 999 }]
      ) {
        expect(yield* store.updateClaimedJob(job.job_id, other, { status: "done" })).toEqual(Option.none())
      }
      const moved = yield* store.updateClaimedJob(job.job_id, claim, { status: "pending", attempt_count: 1 })
      expect(Option.getOrThrow(moved)).toMatchObject({ status: "pending", attempt_count: 1 })
      // No longer running: the same claim writes nothing more.
      expect(yield* store.updateClaimedJob(job.job_id, claim, { status: "done" })).toEqual(Option.none())
      expect(Option.getOrThrow(yield* store.getJob(job.job_id)).status).toBe("pending")
    }).pipe(Effect.provide(tempStoreLayer)))
})
