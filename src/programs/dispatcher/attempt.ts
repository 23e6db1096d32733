import { Effect, Either, Option } from "effect"
import {
  type BatchId,
  type DeliveryFailure,
  type DeliveryReceipt,
  type DeliveryRequest,
  isQuarantined,
  type PacingReason,
  type SystemAutomation
} from "../../domain/index.js"
import type { ClaimedAttempt, JobClaim, JobPatch } from "../../services/ArtifactStore.js"
import type { BrowserBridgeService } from "../../services/BrowserBridge.js"
import type { DeliveryPolicyService } from "../../services/DeliveryPolicy.js"
import type { LogEntry } from "../../services/RenewalLog.js"
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
  /** Pacing and the circuit breaker, consulted right before each delivery. */
  readonly policy: DeliveryPolicyService
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
    Effect.clockWith((clock) => {
      const { bridge, log, policy, settings, store, wakeAt } = deps
      if (isQuarantined(job)) return quarantined(log, batch_id, job)
      const now = clock.unsafeCurrentTimeMillis()
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
          ),
          Effect.as(false)
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
          Effect.flatMap((moved) => (Option.isSome(moved) ? writeHeld : superseded(patch, details)))
        )

      /** Writes `patch`; once it held, logs `line` and gives `result`; a lost claim gives `superseded`. */
      const settle = <R extends JobResult>(
        patch: JobPatch,
        details: Readonly<Record<string, unknown>>,
        line: () => LogEntry,
        result: R,
        then: Effect.Effect<void> = Effect.void
      ): Effect.Effect<R | "superseded"> =>
        Effect.flatMap(
          write(patch, details),
          (ok): Effect.Effect<R | "superseded"> =>
            ok ? log.write(line()).pipe(Effect.zipRight(then), Effect.as(result)) : supersededResult
        )

      const fail = (failure: JobFailure, at: number, extra: JobPatch, details: Readonly<Record<string, unknown>>) => {
        const outcome = afterFailure(
          job,
          failure,
          at,
          (attempts) => at + retryDelayMs(attempts, settings.retryBaseDelayMs, settings.retryMaxDelayMs)
        )
        const retryAt = outcome.next_attempt_at
        return settle(
          { ...extra, ...outcome.patch },
          details,
          () => failureLine(batch_id, job, outcome, details),
          outcome.kind,
          retryAt === null ? Effect.void : wakeAt(retryAt)
        )
      }

      const defer = (reason: DeferReason | PacingReason, dueAt = now + settings.recheckDelayMs) =>
        settle(
          { ...previous, ...deferred(touch, dueAt) },
          {},
          () => jobLine(batch_id, "job_deferred", reason, job, { next_attempt_at: dueAt }),
          "deferred",
          wakeAt(dueAt)
        )

      const deliver = (request: DeliveryRequest): Effect.Effect<JobResult> => {
        const attempt = { client_id: request.client_id, tab_id: request.tab_id, plan_id: request.plan_id }
        const attempt_count = job.attempt_count + 1
        // Paced or behind an open circuit: wait, without spending an attempt.
        const paced_delivery = { request, local_conversation_id: job.local_conversation_id }
        const answered = (delivered: Either.Either<DeliveryReceipt, DeliveryFailure>): Effect.Effect<JobResult> => {
          const finishedAt = clock.unsafeCurrentTimeMillis()
          return Effect.zipRight(
            policy.record(paced_delivery, delivered),
            Either.isLeft(delivered)
              ? fail(classifyDelivery(delivered.left), finishedAt, {}, { ...attempt, ...clientReason(delivered.left) })
              : settle(succeeded(job, finishedAt), attempt, () =>
                jobLine(batch_id, "job_completed", "attempt_succeeded", job, {
                  ...attempt,
                  attempt_count,
                  request_id: delivered.right.request_id,
                  duplicate: delivered.right.duplicate
                }), "succeeded")
          )
        }
        return Effect.flatMap(policy.admit(paced_delivery), (paced) =>
          Option.isSome(paced)
            ? defer(paced.value.reason, paced.value.until)
            : log.write(
              jobLine(batch_id, "job_attempt_started", "attempt_started", job, { ...attempt, attempt_count })
            ).pipe(
              Effect.zipRight(restore(measured(job, bridge.deliver(request)))),
              Effect.flatMap(answered)
            ))
      }

      const plan = planJob(job, { system, conversation, link }, settings.executionTimeoutMs)
      // A check that fails the job counts as an attempt made now.
      if (Either.isLeft(plan)) {
        return fail(plan.left, now, { ...previous, last_attempt_at: now }, {})
      }
      return Plan.$match(plan.right, {
        Defer: ({ reason }) => defer(reason),
        Deliver: ({ request }) =>
          deliver(request)
      })
    })
  )

const writeHeld = Effect.succeed(true)
const supersededResult = Effect.succeed("superseded" as const)
