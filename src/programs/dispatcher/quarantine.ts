import { Effect } from "effect"
import { type BatchId, CORRUPT_RECORD, type RenewalJob } from "../../domain/index.js"
import type { RenewalLogService } from "../../services/RenewalLog.js"
import { failureLine } from "./logLines.js"

/**
 * A claimed job whose row did not decode: the store has already failed it (the reason is in the
 * daemon's log); the renewal log says so, and nothing is delivered.
 */
export const quarantined = (log: RenewalLogService, batch_id: BatchId, job: RenewalJob) =>
  log.write(
    failureLine(batch_id, job, {
      kind: "failed",
      code: CORRUPT_RECORD,
      attempt_count: job.attempt_count,
      next_attempt_at: null
    })
  ).pipe(Effect.as("failed" as const))
