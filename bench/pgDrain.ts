import { Effect, Queue } from "effect"
import type { RenewalJob } from "../src/domain/index.js"
import * as InFlight from "../src/programs/dispatcher/InFlight.js"
import type { ArtifactStoreService } from "../src/services/ArtifactStore.js"
import * as Seed from "./seed.js"

/** The dispatcher's knobs (`--max-tasks-per-tick`, `--max-in-flight`) for one drain. */
export interface DrainSettings {
  readonly maxTasksPerTick: number
  readonly maxInFlight: number
}

const NOW = Seed.HISTORY_END * 2
const DONE = { status: "done", next_attempt_at: null, finished_at: Seed.HISTORY_END } as const

/**
 * One node draining as its dispatcher does, with a no-op delivery: claims up to the free
 * slots (at most `maxTasksPerTick`), launches each job's completion under its claim into the
 * dispatcher's own in-flight set without waiting, claims again at once after a full batch and
 * otherwise when a delivery finishes. Outcomes written while others are in flight share one
 * commit (the store's group commit). Every claim's latency is kept.
 */
export const node = (
  store: ArtifactStoreService,
  node_id: string,
  settings: DrainSettings,
  latencies: Array<number>
) =>
  Effect.gen(function*() {
    const inFlight = yield* InFlight.make(settings.maxInFlight, 0)
    // A finished delivery's wake-up; several coalesce into one, as the dispatcher's do.
    const finished = yield* Queue.sliding<void>(1)
    const claim = { node_id, run_id: "run", claimed_at: NOW }
    const complete = (job: RenewalJob) =>
      store.updateClaimedJob(job.job_id, claim, DONE).pipe(
        Effect.orDie,
        Effect.as("succeeded" as const),
        Effect.ensuring(Queue.offer(finished, undefined))
      )
    let jobs = 0
    while (true) {
      const limit = Math.min(settings.maxTasksPerTick, yield* inFlight.capacity)
      if (limit > 0) {
        const start = performance.now()
        const batch = yield* store.claimDueJobs({ now: NOW, limit, node_id, run_id: claim.run_id })
        latencies.push(performance.now() - start)
        yield* Effect.forEach(batch, (job) => inFlight.launch(complete(job)), { discard: true })
        jobs += batch.length
        if (batch.length === limit) continue
        if (batch.length === 0 && (yield* inFlight.size) === 0) break
      }
      yield* Queue.take(finished)
    }
    yield* inFlight.idle
    return jobs
  }).pipe(Effect.scoped)

/** The drain as it was measured before: claim ten, then complete each alone, one at a time. */
export const serial = (store: ArtifactStoreService, node_id: string, latencies: Array<number>) =>
  Effect.gen(function*() {
    const claim = { node_id, run_id: "run", claimed_at: NOW }
    let jobs = 0
    while (true) {
      const start = performance.now()
      const batch = yield* store.claimDueJobs({ now: NOW, limit: 10, node_id, run_id: claim.run_id })
      latencies.push(performance.now() - start)
      if (batch.length === 0) return jobs
      yield* Effect.forEach(batch, (job) => store.updateClaimedJob(job.job_id, claim, DONE))
      jobs += batch.length
    }
  })

export const percentile = (ms: ReadonlyArray<number>, p: number) =>
  [...ms].sort((a, b) => a - b)[Math.floor((ms.length - 1) * p)] ?? 0
