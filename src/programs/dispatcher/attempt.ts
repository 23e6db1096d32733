import { Clock, Effect, Either, Option } from "effect"
import { targetSnapshotOf, type BatchId, type RenewalJob, type SystemAutomation } from "../../domain/index.js"
import type { JobPatch } from "../../services/ArtifactStore.js"
import type { BrowserBridgeService } from "../../services/BrowserBridge.js"
import { retryDelayMs } from "./backoff.js"
import { classifyDelivery, type JobFailure } from "./errors.js"
import { failureLine, jobLine } from "./logLines.js"
import { planJob } from "./plan.js"
import type { RecoveryDeps } from "./recovery.js"
import { afterFailure, deferred, running, succeeded, type Touch } from "./transitions.js"

export interface AttemptDeps extends RecoveryDeps {
  readonly bridge: BrowserBridgeService
}

export type JobResult = "succeeded" | "retried" | "failed" | "deferred"

/**
 * Decides one claimed job and carries the decision out. Everything but the delivery itself
 * is uninterruptible, so an interrupted tick leaves each job either fully written or still
 * `running` (for stale recovery), never half-written.
 */
export const processJob = (deps: AttemptDeps, batch_id: BatchId, system: SystemAutomation, job: RenewalJob) =>
  Effect.uninterruptibleMask((restore) =>
    Effect.gen(function* () {
      const { store, log, bridge, settings } = deps
      const now = yield* Clock.currentTimeMillis
      const conversation = yield* store.getConversation(job.local_conversation_id)
      const link = Option.isSome(conversation) ? yield* store.activeLink(job.local_conversation_id) : Option.none()
      const touch: Touch = {
        target_snapshot: Option.match(link, { onNone: () => job.target_snapshot, onSome: targetSnapshotOf }),
        log_path: job.log_path ?? log.pathAt(now)
      }
      const update = (patch: JobPatch) => Effect.orDie(store.updateJob(job.job_id, { ...touch, ...patch }))

      const fail = (failure: JobFailure, at: number, extra: JobPatch, details: Record<string, unknown>) =>
        Effect.gen(function* () {
          const outcome = afterFailure(job, failure, at, (attempts) =>
            at + retryDelayMs(attempts, settings.retryBaseDelayMs, settings.retryMaxDelayMs)
          )
          yield* update({ ...outcome.patch, ...extra })
          yield* log.write(failureLine(batch_id, job, outcome, details))
          return outcome.kind satisfies JobResult
        })

      const plan = planJob(job, { system, conversation, link }, settings.executionTimeoutMs)
      // A check that fails the job counts as an attempt made now.
      if (Either.isLeft(plan)) return yield* fail(plan.left, now, { last_attempt_at: now }, {})
      if (plan.right._tag === "Defer") {
        const dueAt = now + settings.recheckDelayMs
        yield* update(deferred(touch, dueAt))
        yield* log.write(jobLine(batch_id, "job_deferred", plan.right.reason, job, { next_attempt_at: dueAt }))
        return "deferred" satisfies JobResult
      }

      const request = plan.right.request
      const attempt = { client_id: request.client_id, tab_id: request.tab_id, plan_id: request.plan_id }
      yield* update(running(touch, now))
      yield* log.write(
        jobLine(batch_id, "job_attempt_started", "attempt_started", job, {
          ...attempt,
          attempt_count: job.attempt_count + 1
        })
      )
      const delivered = yield* restore(bridge.deliver(request)).pipe(Effect.either)
      const finishedAt = yield* Clock.currentTimeMillis
      if (Either.isLeft(delivered)) return yield* fail(classifyDelivery(delivered.left), finishedAt, {}, attempt)
      yield* update(succeeded(job, finishedAt))
      yield* log.write(
        jobLine(batch_id, "job_completed", "attempt_succeeded", job, {
          ...attempt,
          attempt_count: job.attempt_count + 1,
          request_id: delivered.right.request_id,
          duplicate: delivered.right.duplicate
        })
      )
      return "succeeded" satisfies JobResult
    })
  ).pipe(Effect.withSpan("Dispatcher.processJob", { attributes: { job_id: job.job_id } }))
