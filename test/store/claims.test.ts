import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { tempStoreLayer } from "../support/tempStore.js"
import { conversation, newJob } from "./fixtures.js"

const claimant = { node_id: "node-1", run_id: "run-1" }
const messages = (list: ReadonlyArray<{ readonly message_id: string }>) => list.map((j) => j.message_id)

describe("claims", () => {
  it.effect("claims due pending jobs oldest first, up to the limit, and leaves attempt fields to the dispatcher", () =>
    Effect.gen(function* () {
      const store = yield* ArtifactStore
      for (const [name, due] of [["c30", 30], ["c10", 10], ["c20", 20], ["c50", 50]] as const) {
        const c = yield* conversation(name)
        yield* store.insertJob(newJob(c.local_conversation_id, name, { next_attempt_at: due }))
      }
      const done = yield* conversation("done")
      const finished = yield* store.insertJob(newJob(done.local_conversation_id, "finished", { next_attempt_at: 0 }))
      yield* store.updateJob(finished.job_id, { status: "done" })
      expect(yield* store.nextDueAt).toEqual(Option.some(10))

      yield* TestClock.setTime(41)
      const first = yield* store.claimDueJobs({ ...claimant, now: 40, limit: 2 })
      expect(messages(first)).toEqual(["c10", "c20"])
      expect(first[0]).toMatchObject({ status: "running", attempt_count: 0, started_at: null, last_attempt_at: null, updated_at: 41 })
      expect(messages(yield* store.claimDueJobs({ ...claimant, now: 40, limit: 2 }))).toEqual(["c30"])
      expect(yield* store.claimDueJobs({ ...claimant, now: 40, limit: 2 })).toEqual([])
      expect(yield* store.nextDueAt).toEqual(Option.some(50))
      expect(yield* store.claimDueJobs({ ...claimant, now: 100, limit: 0 })).toEqual([])
      expect(messages(yield* store.claimDueJobs({ ...claimant, now: 100, limit: 5 }))).toEqual(["c50"])
      expect(yield* store.nextDueAt).toEqual(Option.none())
    }).pipe(Effect.provide(tempStoreLayer)))

  it.effect("takes at most one job per conversation and none while one of its jobs is running", () =>
    Effect.gen(function* () {
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
      yield* store.updateJob(first[0]!.job_id, { status: "pending", next_attempt_at: 30 })
      expect(messages(yield* store.claimDueJobs({ ...claimant, now: 100, limit: 10 }))).toEqual(["x-20"])
      yield* store.updateJob(first[1]!.job_id, { status: "done", next_attempt_at: null })
      expect(yield* store.claimDueJobs({ ...claimant, now: 100, limit: 10 })).toEqual([])
    }).pipe(Effect.provide(tempStoreLayer)))

  it.effect("finds running jobs of an earlier run of this node, or claimed before the bound", () =>
    Effect.gen(function* () {
      const store = yield* ArtifactStore
      const a = yield* conversation("stale-a")
      const b = yield* conversation("stale-b")
      yield* store.insertJob(newJob(a.local_conversation_id, "stale-a", { next_attempt_at: 1 }))
      yield* store.insertJob(newJob(b.local_conversation_id, "stale-b", { next_attempt_at: 2 }))
      yield* store.claimDueJobs({ node_id: "node-1", run_id: "run-old", now: 1_000, limit: 1 })
      yield* store.claimDueJobs({ node_id: "node-2", run_id: "run-x", now: 5_000, limit: 1 })

      const sameRun = yield* store.staleRunningJobs({ node_id: "node-1", run_id: "run-old", claimed_before: 0 })
      expect(sameRun).toEqual([])
      const newRun = yield* store.staleRunningJobs({ node_id: "node-1", run_id: "run-new", claimed_before: 0 })
      expect(messages(newRun)).toEqual(["stale-a"])
      const otherNode = yield* store.staleRunningJobs({ node_id: "node-3", run_id: "run-y", claimed_before: 2_000 })
      expect(messages(otherNode)).toEqual(["stale-a"])
      const late = yield* store.staleRunningJobs({ node_id: "node-3", run_id: "run-y", claimed_before: 6_000 })
      expect(messages(late)).toEqual(["stale-a", "stale-b"])
    }).pipe(Effect.provide(tempStoreLayer)))
})
