import { Clock, Effect } from "effect"
import { type BatchId, CORRUPT_RECORD, isQuarantined, type RenewalJob } from "../../domain/index.js"
import type { ArtifactStoreService } from "../../services/ArtifactStore.js"
import type { NodeIdentity, RenewalSettings } from "../../services/ConductorConfig.js"
import type { RenewalLogService } from "../../services/RenewalLog.js"
import { staleGraceMs } from "./backoff.js"
import { StaleRunning } from "./errors.js"
import { failureLine } from "./logLines.js"

export interface RecoveryDeps {
  readonly store: ArtifactStoreService
  readonly log: RenewalLogService
  readonly settings: RenewalSettings
  readonly node: NodeIdentity
}

/**
 * Puts back jobs a dead or hung dispatcher left `running`: those an earlier run of this node
 * claimed, and anyone's claimed longer ago than the execution timeout plus grace. The lost
 * attempt counts; the job is due at once, or failed when its attempts are spent. The store does
 * it in one statement, so a job two dispatchers see stale at once is recovered by one of them.
 * Returns how many jobs it recovered.
 */
export const recoverStale = Effect.fn("Dispatcher.recoverStale")(function*(
  { log, node, settings, store }: RecoveryDeps,
  batch_id: BatchId
) {
  const now = yield* Clock.currentTimeMillis
  const code = new StaleRunning().code
  const recovered = yield* store.recoverStaleJobs({
    node_id: node.nodeId,
    run_id: node.runId,
    claimed_before: now - (settings.executionTimeoutMs + staleGraceMs(settings.executionTimeoutMs)),
    now,
    last_error: code,
    log_path: log.pathAt(now)
  })
  yield* logRecovered(log, batch_id, code, recovered)
  return recovered.length
})

/** One line per recovered job: retried, or failed with its attempts spent (`corrupt_record` for a quarantined row). */
export const logRecovered = (
  log: RenewalLogService,
  batch_id: BatchId,
  code: string,
  recovered: ReadonlyArray<RenewalJob>,
  details: Readonly<Record<string, unknown>> = {}
) =>
  Effect.forEach(
    recovered,
    (job) =>
      log.write(
        failureLine(
          batch_id,
          job,
          {
            kind: job.status === "failed" ? "failed" : "retried",
            code: isQuarantined(job) ? CORRUPT_RECORD : code,
            attempt_count: job.attempt_count,
            next_attempt_at: job.next_attempt_at
          },
          { recovered: true, ...details }
        )
      ),
    { discard: true }
  )
