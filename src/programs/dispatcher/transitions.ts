import type { RenewalJob, TargetSnapshot } from "../../domain/index.js"
import type { JobPatch } from "../../services/ArtifactStore.js"
import { isTerminal, type JobFailure } from "./errors.js"

/** Fields every write of a tick refreshes: where the job goes now, and its log file. */
export interface Touch {
  readonly target_snapshot: TargetSnapshot | null
  readonly log_path: string
}

/** What became of a job after a failure, for the log and the tick's counts. */
export interface FailureOutcome {
  readonly patch: JobPatch
  readonly kind: "retried" | "failed"
  readonly code: string
  readonly attempt_count: number
  readonly next_attempt_at: number | null
}

export const deferred = (touch: Touch, dueAt: number): JobPatch => ({
  ...touch,
  status: "pending",
  next_attempt_at: dueAt
})

export const succeeded = (job: RenewalJob, now: number): JobPatch => ({
  status: "done",
  attempt_count: job.attempt_count + 1,
  finished_at: now,
  last_error: null,
  next_attempt_at: null
})

/**
 * A failed attempt counts. Terminal failures and spent attempts fail the job; otherwise it is
 * pending again at `retryAt(attempt_count)`.
 */
export const afterFailure = (
  job: RenewalJob,
  failure: JobFailure,
  now: number,
  retryAt: (attemptCount: number) => number
): FailureOutcome => {
  const attempt_count = job.attempt_count + 1
  const code = failure.code
  if (isTerminal(failure) || attempt_count >= job.max_attempts) {
    return {
      kind: "failed",
      code,
      attempt_count,
      next_attempt_at: null,
      patch: { status: "failed", attempt_count, last_error: code, finished_at: now, next_attempt_at: null }
    }
  }
  const next_attempt_at = retryAt(attempt_count)
  return {
    kind: "retried",
    code,
    attempt_count,
    next_attempt_at,
    patch: { status: "pending", attempt_count, last_error: code, next_attempt_at }
  }
}
