import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { targetSnapshotOf } from "../../src/domain/index.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { storeBackends } from "../support/storeBackends.js"
import { message, newJob, observation, snapshot } from "./fixtures.js"

const claimant = { node_id: "node-1", run_id: "run-1" }

describe.each(storeBackends)("attempt claims on $name", ({ layer: tempStoreLayer }) => {
  it.effect("claims the batch, starts each attempt and returns each job with its conversation and active link", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const seen = yield* store.recordObservation(observation(message("m-linked")))
      const linked = yield* store.insertJob(
        newJob(seen.conversation.local_conversation_id, "m-linked", { next_attempt_at: 10, target_snapshot: snapshot })
      )
      const { conversation: bare } = yield* store.findOrCreateConversation({
        platform: "claude",
        remote_conversation_id: seen.message.conversation_id,
        automation_status: "paused"
      })
      const unlinked = yield* store.insertJob(newJob(bare.local_conversation_id, "m-bare", { next_attempt_at: 20 }))
      yield* store.insertJob(newJob(bare.local_conversation_id, "m-later", { next_attempt_at: 30 }))

      yield* TestClock.setTime(101)
      const claimed = yield* store.claimAttempts({ ...claimant, now: 100, limit: 10, log_path: "/logs/day.jsonl" })
      expect(claimed.map((c) => c.job.job_id)).toEqual([linked.job_id, unlinked.job_id])

      const [first, second] = claimed
      const started = {
        status: "running",
        attempt_count: 0,
        started_at: 100,
        last_attempt_at: 100,
        next_attempt_at: null,
        finished_at: null,
        log_path: "/logs/day.jsonl"
      }
      expect(first!.job).toMatchObject({ ...started, target_snapshot: targetSnapshotOf(seen.link) })
      expect(first!.previous).toEqual({ started_at: null, last_attempt_at: null, finished_at: null })
      expect(Option.getOrThrow(first!.conversation).local_conversation_id).toBe(seen.conversation.local_conversation_id)
      expect(Option.getOrThrow(first!.link).link_id).toBe(seen.link.link_id)
      expect(second!.job).toMatchObject({ ...started, target_snapshot: null })
      expect(Option.getOrThrow(second!.conversation).automation_status).toBe("paused")
      expect(Option.isNone(second!.link)).toBe(true)

      // What is stored is what came back; the conversation's later job waits for this one.
      expect(Option.getOrThrow(yield* store.getJob(linked.job_id))).toEqual(first!.job)
      expect(Option.getOrThrow(yield* store.getJob(unlinked.job_id))).toEqual(second!.job)
      expect(yield* store.claimAttempts({ ...claimant, now: 100, limit: 10, log_path: "/logs/day.jsonl" })).toEqual([])
    }).pipe(Effect.provide(tempStoreLayer)))

  it.effect("keeps a job's log file and claims nothing at limit 0", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const seen = yield* store.recordObservation(observation(message("m-logged")))
      const job = yield* store.insertJob(newJob(seen.conversation.local_conversation_id, "m-logged"))
      expect(yield* store.claimAttempts({ ...claimant, now: 5, limit: 0, log_path: "/a" })).toEqual([])
      yield* store.transitionJob(job.job_id, "pending", { log_path: "/first.jsonl" })
      const [claimed] = yield* store.claimAttempts({ ...claimant, now: 5, limit: 1, log_path: "/second.jsonl" })
      expect(claimed!.job.log_path).toBe("/first.jsonl")
      expect(Option.getOrThrow(yield* store.getJob(job.job_id)).log_path).toBe("/first.jsonl")
    }).pipe(Effect.provide(tempStoreLayer)))
})
