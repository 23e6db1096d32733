import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Exit, Fiber, Layer, Option, Scope, TestClock } from "effect"
import { RemoteConversationId } from "../../src/domain/index.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { storeBackends } from "../support/storeBackends.js"
import { message, newJob, observation } from "./fixtures.js"

const claim = { node_id: "node", run_id: "run-1", claimed_at: 1_000 }

describe.each(storeBackends)("group commit on $name", ({ layerAt, makeLocation: makeTempDbFile }) => {
  const openStore = (location: string, scope: Scope.Scope) =>
    Layer.buildWithScope(layerAt(location, { commitWindow: "5 millis" }), scope).pipe(
      Effect.map((ctx) => Context.get(ctx, ArtifactStore))
    )

  it.scoped("outcomes written together commit together, and only then are reported", () =>
    Effect.gen(function*() {
      const store = yield* openStore(yield* makeTempDbFile, yield* Effect.scope)
      for (const id of ["g1", "g2", "g3"]) {
        const seen = yield* store.recordObservation(
          observation(message(id, { conversation_id: RemoteConversationId.make(`conv-${id}`) }))
        )
        yield* store.insertJob(newJob(seen.conversation.local_conversation_id, id))
      }
      const jobs = yield* store.claimDueJobs({ node_id: "node", run_id: "run-1", now: 1_000, limit: 10 })
      const writes = yield* Effect.forEach(jobs, (job) =>
        Effect.fork(store.updateClaimedJob(job.job_id, claim, { status: "done", finished_at: 1_000 })))
      yield* Effect.yieldNow()
      // Inside the commit window: nothing is reported, nothing is written yet.
      expect(writes.every((f) =>
        f.unsafePoll() === null
      )).toBe(true)
      expect((yield* store.listJobs({ status: "running", limit: 10, offset: 0 })).length).toBe(3)
      yield* TestClock.adjust("5 millis")
      const results = yield* Fiber.joinAll(writes)
      expect(results.every(Option.isSome)).toBe(true)
      expect((yield* store.listJobs({ status: "done", limit: 10, offset: 0 })).length).toBe(3)
    }))

  it.scoped("outcomes of different columns, a lost claim and a job's second outcome in one group each hold alone", () =>
    Effect.gen(function*() {
      const store = yield* openStore(yield* makeTempDbFile, yield* Effect.scope)
      for (const id of ["m1", "m2", "m3"]) {
        const seen = yield* store.recordObservation(
          observation(message(id, { conversation_id: RemoteConversationId.make(`conv-${id}`) }))
        )
        yield* store.insertJob(newJob(seen.conversation.local_conversation_id, id))
      }
      const [a, b, c] = yield* store.claimDueJobs({ node_id: "node", run_id: "run-1", now: 1_000, limit: 10 })
      const writes = yield* Effect.forEach([
        store.updateClaimedJob(a!.job_id, claim, { status: "done", finished_at: 1_000 }),
        store.updateClaimedJob(b!.job_id, claim, { status: "pending", next_attempt_at: 5_000, last_error: "busy" }),
        store.updateClaimedJob(c!.job_id, { ...claim, run_id: "run-x" }, { status: "done", finished_at: 1_000 })
      ], Effect.fork)
      yield* Effect.repeatN(Effect.yieldNow(), 10)
      // Submitted after the first outcome of the same job, in the same group: it is no longer running.
      const second = yield* Effect.fork(
        store.updateClaimedJob(a!.job_id, claim, { status: "failed", finished_at: 1_000 })
      )
      yield* TestClock.adjust("5 millis")
      const [done, retried, lost, late] = yield* Fiber.joinAll([...writes, second])
      expect(Option.getOrThrow(done!)).toMatchObject({ status: "done" })
      expect(Option.getOrThrow(retried!)).toMatchObject({
        status: "pending",
        next_attempt_at: 5_000,
        last_error: "busy"
      })
      expect(Option.isNone(lost!)).toBe(true)
      expect(Option.isNone(late!)).toBe(true)
      expect(Option.getOrThrow(yield* store.getJob(a!.job_id)).status).toBe("done")
      expect(Option.getOrThrow(yield* store.getJob(c!.job_id)).status).toBe("running")
    }))

  it.scoped("a daemon stopped between an outcome and its commit leaves the job running, and it is recovered", () =>
    Effect.gen(function*() {
      const filename = yield* makeTempDbFile
      const first = yield* Scope.make()
      const store = yield* openStore(filename, first)
      const seen = yield* store.recordObservation(observation(message("cut")))
      yield* store.insertJob(newJob(seen.conversation.local_conversation_id, "cut"))
      const [job] = yield* store.claimDueJobs({ node_id: "node", run_id: "run-1", now: 1_000, limit: 1 })
      const write = yield* Effect.fork(
        store.updateClaimedJob(job!.job_id, claim, { status: "done", finished_at: 1_000 })
      )
      yield* Effect.repeatN(Effect.yieldNow(), 20)
      yield* Scope.close(first, Exit.void)
      // The caller never hears `done`.
      expect(Exit.isInterrupted(yield* Fiber.await(write))).toBe(true)

      const reopened = yield* openStore(filename, yield* Effect.scope)
      expect(Option.getOrThrow(yield* reopened.getJob(job!.job_id)).status).toBe("running")
      const recovered = yield* reopened.recoverStaleJobs({
        node_id: "node",
        run_id: "run-2",
        claimed_before: 0,
        now: 2_000,
        last_error: "stale_running",
        log_path: "/tmp/x.jsonl"
      })
      expect(recovered).toMatchObject([{ job_id: job!.job_id, status: "pending", last_error: "stale_running" }])
    }))
})
