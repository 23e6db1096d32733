import { describe, expect, it } from "@effect/vitest"
import { Array as Arr, Context, Effect, Layer, Option } from "effect"
import { ArtifactStore, type ArtifactStoreService } from "../../src/services/ArtifactStore.js"
import { storeBackends } from "../support/storeBackends.js"
import { conversation, newJob } from "./fixtures.js"

const CONVERSATIONS = 8
const JOBS_EACH = 12

/**
 * A dispatcher reduced to its store calls: claim, check the claimed job is its conversation's
 * only running job, finish it under the claim, until nothing is left.
 */
const drain = (store: ArtifactStoreService, node_id: string) =>
  Effect.gen(function*() {
    const done: Array<string> = []
    let idle = 0
    while (idle < 3) {
      const batch = yield* store.claimDueJobs({ node_id, run_id: "run", now: 1_000, limit: 3 })
      idle = batch.length === 0 ? idle + 1 : 0
      for (const job of batch) {
        const running = yield* store.listJobs({
          local_conversation_id: job.local_conversation_id,
          status: "running",
          limit: 10,
          offset: 0
        })
        expect(running.map((j) => j.job_id)).toEqual([job.job_id])
        const claim = { node_id, run_id: "run", claimed_at: 1_000 }
        const finished = yield* store.updateClaimedJob(job.job_id, claim, { status: "done", finished_at: 1_000 })
        expect(Option.isSome(finished)).toBe(true)
        done.push(job.job_id)
      }
      yield* Effect.yieldNow()
    }
    return done
  })

describe.each(storeBackends)("concurrent claimers on $name", ({ layerAt, makeLocation }) => {
  it.scoped(
    "four stores on one database finish every job once and never run two of one conversation",
    () =>
      Effect.gen(function*() {
        const location = yield* makeLocation
        const stores = yield* Effect.forEach(
          Arr.range(1, 4),
          () => Effect.map(Layer.build(layerAt(location)), (ctx) => Context.get(ctx, ArtifactStore))
        )
        const first = stores[0]!
        const jobs = yield* Effect.forEach(Arr.range(1, CONVERSATIONS), (c) =>
          Effect.gen(function*() {
            const conv = yield* conversation(`busy-${c}`).pipe(Effect.provideService(ArtifactStore, first))
            return Arr.range(1, JOBS_EACH).map((j) =>
              newJob(conv.local_conversation_id, `busy-${c}-${j}`, { next_attempt_at: j })
            )
          }))
        yield* first.commitProjection(1, jobs.flat())

        const shares = yield* Effect.forEach(stores, (store, i) => drain(store, `node-${i}`), {
          concurrency: "unbounded"
        })
        const all = shares.flat()
        expect(new Set(all).size).toBe(all.length)
        expect(all).toHaveLength(CONVERSATIONS * JOBS_EACH)
        expect(yield* first.listJobs({ status: "done", limit: 1_000, offset: 0 })).toHaveLength(
          CONVERSATIONS * JOBS_EACH
        )
      }),
    60_000
  )
})
