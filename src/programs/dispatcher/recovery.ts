import { Clock, Effect } from "effect"
import type { BatchId } from "../../domain/index.js"
import type { ArtifactStoreService } from "../../services/ArtifactStore.js"
import type { NodeIdentity, RenewalSettings } from "../../services/ConductorConfig.js"
import type { RenewalLogService } from "../../services/RenewalLog.js"
import { staleGraceMs } from "./backoff.js"
import { StaleRunning } from "./errors.js"
import { failureLine } from "./logLines.js"
import { afterFailure } from "./transitions.js"

export interface RecoveryDeps {
  readonly store: ArtifactStoreService
  readonly log: RenewalLogService
  readonly settings: RenewalSettings
  readonly node: NodeIdentity
}

/**
 * Puts back jobs a dead or hung dispatcher left `running`: those an earlier run of this node
 * claimed, and anyone's claimed longer ago than the execution timeout plus grace. The lost
 * attempt counts; the job is due at once, or failed when its attempts are spent.
 * Returns how many jobs it recovered.
 */
export const recoverStale = ({ store, log, settings, node }: RecoveryDeps, batch_id: BatchId) =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    const stale = yield* store.staleRunningJobs({
      node_id: node.nodeId,
      run_id: node.runId,
      claimed_before: now - (settings.executionTimeoutMs + staleGraceMs(settings.executionTimeoutMs))
    })
    yield* Effect.forEach(
      stale,
      (job) => {
        const outcome = afterFailure(job, new StaleRunning(), now, () => now)
        return store.updateJob(job.job_id, { ...outcome.patch, log_path: job.log_path ?? log.pathAt(now) }).pipe(
          Effect.orDie,
          Effect.zipRight(log.write(failureLine(batch_id, job, outcome, { recovered: true }))),
          Effect.uninterruptible
        )
      },
      { discard: true }
    )
    return stale.length
  }).pipe(Effect.withSpan("Dispatcher.recoverStale"))
