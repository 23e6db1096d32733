import type { BatchId, RenewalJob } from "../../domain/index.js"
import type { LogEntry } from "../../services/RenewalLog.js"
import { DISPATCHER } from "../../services/Wakeups.js"
import type { FailureOutcome } from "./transitions.js"

export const tickLine = (
  batch_id: BatchId,
  stage: string,
  result: string,
  details?: Readonly<Record<string, unknown>>
): LogEntry => ({ runner: DISPATCHER, batch_id, stage, result, details })

/** A line about one job, always naming the job, its conversation and its message. */
export const jobLine = (
  batch_id: BatchId,
  stage: string,
  result: string,
  job: RenewalJob,
  details: Readonly<Record<string, unknown>> = {}
): LogEntry =>
  tickLine(batch_id, stage, result, {
    job_id: job.job_id,
    local_conversation_id: job.local_conversation_id,
    message_id: job.message_id,
    ...details
  })

/** `job_failed` or `job_retry_scheduled`, with the error code as the result. */
export const failureLine = (
  batch_id: BatchId,
  job: RenewalJob,
  outcome: Omit<FailureOutcome, "patch">,
  details: Readonly<Record<string, unknown>> = {}
): LogEntry =>
  jobLine(batch_id, outcome.kind === "failed" ? "job_failed" : "job_retry_scheduled", outcome.code, job, {
    attempt_count: outcome.attempt_count,
    max_attempts: job.max_attempts,
    ...(outcome.kind === "retried" ? { next_attempt_at: outcome.next_attempt_at } : {}),
    ...details
  })

/** A write that lost its compare-and-set: another dispatcher or a recovery moved the job first. */
export const supersededLine = (
  batch_id: BatchId,
  job: RenewalJob,
  discarded: { readonly status: string; readonly last_error: string | null },
  details: Readonly<Record<string, unknown>> = {}
): LogEntry =>
  jobLine(batch_id, "job_superseded", "claim_lost", job, {
    discarded_status: discarded.status,
    discarded_error: discarded.last_error,
    ...details
  })
