import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import * as Presence from "../../src/layers/pg/presence.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { storeBackends } from "../support/storeBackends.js"
import { message, observation } from "./fixtures.js"

const postgres = storeBackends.find((b) => b.name === "postgres")

describe.skipIf(postgres === undefined)("routing by presence (postgres)", () => {
  it.scoped("a job whose client another live daemon holds is left to that daemon, and follows the client", () =>
    Effect.gen(function*() {
      const ctx = yield* Layer.build(postgres!.layer)
      const store = Context.get(ctx, ArtifactStore)
      const presence = yield* Effect.provideService(
        Presence.make,
        SqlClient.SqlClient,
        Context.get(ctx, SqlClient.SqlClient)
      )
      const a = { node_id: "node-a", run_id: "run-a" }
      const b = { node_id: "node-b", run_id: "run-b" }

      const seen = yield* store.recordObservation(observation(message("routed-1"), { client: "client-b" }))
      const lc = seen.conversation.local_conversation_id
      const job = yield* store.commitProjection(seen.message.seq, [
        {
          local_conversation_id: lc,
          message_id: seen.message.id,
          payload_kind: "text",
          payload: "p",
          target_snapshot: null,
          max_attempts: 3,
          next_attempt_at: 0
        }
      ])
      const free = yield* store.recordObservation(
        observation(message("free-1", { conversation_id: "conv-free" as never }), { client: "client-gone" })
      )
      yield* store.insertJob({
        local_conversation_id: free.conversation.local_conversation_id,
        message_id: free.message.id,
        payload_kind: "text",
        payload: "p",
        target_snapshot: null,
        max_attempts: 3,
        next_attempt_at: 0
      })

      yield* presence.hold(b, ["client-b"], 100, 1_000)
      // A takes only the job whose client nobody holds; B's job waits for B.
      const byA = yield* store.claimDueJobs({ ...a, now: 500, limit: 10 })
      expect(byA.map((j) => j.message_id)).toEqual(["free-1"])
      expect(yield* store.claimDueJobs({ ...a, now: 500, limit: 10 })).toEqual([])

      // The client moves to A: its job follows.
      yield* presence.hold(b, [], 600, 1_600)
      yield* presence.hold(a, ["client-b"], 600, 1_600)
      expect(yield* store.claimDueJobs({ ...b, now: 700, limit: 10 })).toEqual([])
      const moved = yield* store.claimDueJobs({ ...a, now: 700, limit: 10 })
      expect(moved.map((j) => j.job_id)).toEqual([job[0]!.job_id])

      // A lease that ran out holds nothing.
      yield* store.transitionJob(job[0]!.job_id, "running", { status: "pending", next_attempt_at: 0 })
      expect((yield* store.claimDueJobs({ ...b, now: 2_000, limit: 10 })).map((j) => j.job_id)).toEqual([
        job[0]!.job_id
      ])
      yield* presence.release(a)
    }))
})
