import { Clock, Effect, Option } from "effect"
import {
  type AutomationStatus,
  type JobId,
  JobStatusConflict,
  type LocalConversationId,
  RecordNotFound,
  type SystemAutomation
} from "../../domain/index.js"
import { ArtifactStore } from "../../services/ArtifactStore.js"
import { DISPATCHER, Wakeups } from "../../services/Wakeups.js"

/**
 * The operator's controls over conversations, jobs and the whole system. Each job change is a
 * compare-and-set in the store, so one landing after a dispatcher claim fails with
 * `JobStatusConflict` instead of overwriting the claim.
 */

/** An operator's change that lost its compare-and-set: the caller gets the conflict, the log says so. */
const superseded = (conflict: JobStatusConflict) =>
  Effect.logInfo("RenewalControl.jobSuperseded").pipe(
    Effect.annotateLogs({ job_id: conflict.job_id, expected: conflict.expected, actual: conflict.actual })
  )

const wakeDispatcher = Effect.flatMap(Wakeups, (wakeups) => wakeups.wake(DISPATCHER))

/**
 * Pending jobs waiting for a later time become due now: jobs deferred while work was held back
 * would otherwise sit out the whole recheck delay. Jobs in a retry backoff go too, on purpose.
 */
const makeWaitingJobsDue = (local_conversation_id?: LocalConversationId) =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    return yield* (yield* ArtifactStore).makePendingJobsDue({ now, local_conversation_id })
  })

/**
 * Same status is a no-op that still returns the record. Switching to `auto` from another status
 * makes the conversation's waiting jobs due; any switch to `auto` wakes the dispatcher.
 */
export const setConversationStatus = Effect.fn("RenewalControl.setConversationStatus")(
  function*(id: LocalConversationId, status: AutomationStatus) {
    yield* Effect.annotateCurrentSpan({ local_conversation_id: id, status })
    const store = yield* ArtifactStore
    const before = yield* store.getConversation(id)
    if (Option.isNone(before)) return yield* new RecordNotFound({ resource: "conversation", id })
    const after = yield* store.setAutomationStatus(id, status).pipe(Effect.catchTag("InvalidStoreInput", Effect.die))
    let made_due = 0
    if (status === "auto") {
      if (before.value.automation_status !== "auto") made_due = yield* makeWaitingJobsDue(id)
      yield* wakeDispatcher
    }
    yield* Effect.logInfo("RenewalControl.setStatus").pipe(
      Effect.annotateLogs({ local_conversation_id: id, from: before.value.automation_status, to: status, made_due })
    )
    return after
  }
)

/**
 * `failed` → `pending`, due now, `last_error` kept; one more attempt allowed when they were
 * spent. One statement in the store, conditional on the job still being `failed`.
 */
export const retryJob = Effect.fn("RenewalControl.retryJob")(function*(id: JobId) {
  yield* Effect.annotateCurrentSpan({ job_id: id })
  const now = yield* Clock.currentTimeMillis
  const retried = yield* (yield* ArtifactStore).retryFailedJob(id, now).pipe(
    Effect.tapErrorTag("JobStatusConflict", superseded)
  )
  yield* wakeDispatcher
  yield* Effect.logInfo("RenewalControl.retry").pipe(Effect.annotateLogs({ job_id: id }))
  return retried
})

/** `pending` → `failed` with `last_error = "cancelled"`; a job already claimed is a conflict. */
export const cancelJob = Effect.fn("RenewalControl.cancelJob")(function*(id: JobId) {
  yield* Effect.annotateCurrentSpan({ job_id: id })
  const now = yield* Clock.currentTimeMillis
  const cancelled = yield* (yield* ArtifactStore).transitionJob(id, "pending", {
    status: "failed",
    last_error: "cancelled",
    finished_at: now,
    next_attempt_at: null
  }).pipe(Effect.catchTag("InvalidStoreInput", Effect.die), Effect.tapErrorTag("JobStatusConflict", superseded))
  yield* Effect.logInfo("RenewalControl.cancel").pipe(Effect.annotateLogs({ job_id: id }))
  return cancelled
})

/** Resuming (from `paused` or `draining`) makes every waiting job due and wakes the dispatcher. */
export const setSystemAutomation = Effect.fn("RenewalControl.setSystemAutomation")(function*(next: SystemAutomation) {
  yield* Effect.annotateCurrentSpan({ state: next })
  const store = yield* ArtifactStore
  const before = yield* store.systemAutomation
  const after = yield* store.setSystemAutomation(next)
  let made_due = 0
  if (after === "running" && before !== "running") {
    made_due = yield* makeWaitingJobsDue()
    yield* wakeDispatcher
  }
  yield* Effect.logInfo("System.setAutomation").pipe(Effect.annotateLogs({ from: before, to: after, made_due }))
  return after
})
