import { Clock, Effect, Either, Option } from "effect"
import {
  type BatchId,
  type DeliveryRequest,
  isQuarantined,
  type PacingReason,
  type SystemAutomation
} from "../../domain/index.js"
import type { ClaimedAttempt, JobClaim, JobPatch } from "../../services/ArtifactStore.js"
import type { BrowserBridgeService } from "../../services/BrowserBridge.js"
import { DeliveryPolicy } from "../../services/DeliveryPolicy.js"
import { retryDelayMs } from "./backoff.js"
import { measured } from "./deliveryMetrics.js"
import { classifyDelivery, clientReason, type JobFailure } from "./errors.js"
import { failureLine, jobLine, supersededLine } from "./logLines.js"
import { type DeferReason, Plan, planJob } from "./plan.js"
import { quarantined } from "./quarantine.js"
import type { RecoveryDeps } from "./recovery.js"
import { afterFailure, deferred, succeeded, type Touch } from "./transitions.js"

export interface AttemptDeps extends RecoveryDeps {
  readonly bridge: BrowserBridgeService
  /** Asks for a dispatcher tick at `at`: a retry or a paced job is claimed when it is due. */
  readonly wakeAt: (at: number) => Effect.Effect<void>
}

export type JobResult = "succeeded" | "retried" | "failed" | "deferred" | "superseded"

/**
 * Decides one claimed job and carries the decision out. Everything but the delivery itself
 * is uninterruptible, so an interrupted tick leaves each job either fully written or still
 * `running` (for stale recovery), never half-written. Every write holds only while the job is
 * still `running` under `claim`: once another dispatcher has recovered the job, this one's
 * late outcome changes nothing and is logged as `job_superseded`.
 */
// No span per job: at thousands of deliveries a second its cost shows; the tick's span and the
// job's JSONL lines say what happened to it.
export const processJob = (
  deps: AttemptDeps,
  batch_id: BatchId,
  system: SystemAutomation,
  claim: JobClaim,
  { conversation, job, link, previous }: ClaimedAttempt
) =>
  Effect.uninterruptibleMask((restore) =>
    Effect.gen(function*() {
      const { store, log, bridge, settings, wakeAt } = deps
      const policy = yield* DeliveryPolicy
      if (isQuarantined(job)) return yield* quarantined(log, batch_id, job)
      const now = yield* Clock.currentTimeMillis
      // The claim started the attempt and refreshed the target; a job not attempted gets its
      // attempt fields back, so a deferral spends nothing.
      const touch: Touch = { target_snapshot: job.target_snapshot, log_path: job.log_path ?? log.pathAt(now) }

      const superseded = (patch: JobPatch, details: Readonly<Record<string, unknown>>) => {
        const discarded = { status: patch.status ?? job.status, last_error: patch.last_error ?? null }
        return log.write(supersededLine(batch_id, job, discarded, details)).pipe(
          Effect.zipRight(
            Effect.logWarning("Dispatcher.jobSuperseded").pipe(
              Effect.annotateLogs({ job_id: job.job_id, node_id: claim.node_id, run_id: claim.run_id, ...discarded })
            )
          )
        )
      }

      /**
       * Whether the write held: false when the claim was lost, which is logged. The claim
       * already stored `touch` (the target and log file), so an outcome writes only what it
       * changes: re-encoding the target for every outcome was a visible share of a delivery.
       */
      const write = (patch: JobPatch, details: Readonly<Record<string, unknown>> = {}) =>
        store.updateClaimedJob(job.job_id, claim, patch).pipe(
          Effect.orDie,
          Effect.tap((moved) => (Option.isSome(moved) ? Effect.void : superseded(patch, details))),
          Effect.map(Option.isSome)
        )

      const fail = (failure: JobFailure, at: number, extra: JobPatch, details: Readonly<Record<string, unknown>>) =>
        Effect.gen(function*() {
          const outcome = afterFailure(
            job,
            failure,
            at,
            (attempts) => at + retryDelayMs(attempts, settings.retryBaseDelayMs, settings.retryMaxDelayMs)
          )
          if (!(yield* write({ ...extra, ...outcome.patch }, details))) {
            return "superseded" satisfies JobResult
          }
          yield* log.write(failureLine(batch_id, job, outcome, details))
          if (outcome.next_attempt_at !== null) {
            yield* wakeAt(outcome.next_attempt_at)
          }
          return outcome.kind satisfies JobResult
        })

      const defer = (reason: DeferReason | PacingReason, dueAt = now + settings.recheckDelayMs) =>
        Effect.gen(function*() {
          if (!(yield* write({ ...previous, ...deferred(touch, dueAt) }))) {
            return "superseded" satisfies JobResult
          }
          yield* log.write(jobLine(batch_id, "job_deferred", reason, job, { next_attempt_at: dueAt }))
          yield* wakeAt(dueAt)
          return "deferred" satisfies JobResult
        })

      const deliver = (request: DeliveryRequest) =>
        Effect.gen(function*() {
          const attempt = { client_id: request.client_id, tab_id: request.tab_id, plan_id: request.plan_id }
          const attempt_count = job.attempt_count + 1
          // Paced or behind an open circuit: wait, without spending an attempt.
          const paced_delivery = { request, local_conversation_id: job.local_conversation_id }
          const paced = yield* policy.admit(paced_delivery)
          if (Option.isSome(paced)) {
            return yield* defer(paced.value.reason, paced.value.until)
          }
          yield* log.write(
            jobLine(batch_id, "job_attempt_started", "attempt_started", job, { ...attempt, attempt_count })
          )
          const delivered = yield* restore(bridge.deliver(request).pipe(measured(job))).pipe(Effect.either)
          const finishedAt = yield* Clock.currentTimeMillis
          yield* policy.record(paced_delivery, delivered)
          if (Either.isLeft(delivered)) {
            const details = { ...attempt, ...clientReason(delivered.left) }
            return yield* fail(classifyDelivery(delivered.left), finishedAt, {}, details)
          }
          if (!(yield* write(succeeded(job, finishedAt), attempt))) {
            return "superseded" satisfies JobResult
          }
          yield* log.write(
            jobLine(batch_id, "job_completed", "attempt_succeeded", job, {
              ...attempt,
              attempt_count,
              request_id: delivered.right.request_id,
              duplicate: delivered.right.duplicate
            })
          )
          return "succeeded" satisfies JobResult
        })

      const plan = planJob(job, { system, conversation, link }, settings.executionTimeoutMs)
      // A check that fails the job counts as an attempt made now.
      if (Either.isLeft(plan)) {
        return yield* fail(plan.left, now, { ...previous, last_attempt_at: now }, {})
      }
      return yield* Plan.$match(plan.right, {
        Defer: ({ reason }) => defer(reason),
        Deliver: ({ request }) => deliver(request)
      })
    })
  )
