import { HttpApiBuilder } from "@effect/platform"
import { Clock, Effect, Option } from "effect"
import type { AutomationStatus, JobId, LocalConversationId, RenewalJob } from "../domain/index.js"
import { ArtifactStore, type JobPatch } from "../services/ArtifactStore.js"
import { DISPATCHER, Wakeups } from "../services/Wakeups.js"
import { Api } from "./Api.js"
import { Conflict, NotFound } from "./ApiErrors.js"
import { makeWaitingJobsDue } from "./dueNow.js"
import { conversationView } from "./RenewalHttp.js"
import { toJobView } from "./Views.js"

const setStatus = (id: LocalConversationId, status: AutomationStatus) =>
  Effect.gen(function* () {
    const store = yield* ArtifactStore
    const before = yield* store.getConversation(id)
    if (Option.isNone(before)) return yield* Effect.fail(NotFound.record("conversation", id))
    yield* store.setAutomationStatus(id, status).pipe(
      Effect.catchTag("RecordNotFound", () => Effect.fail(NotFound.record("conversation", id))),
      Effect.catchTag("InvalidStoreInput", Effect.die)
    )
    if (status === "auto") {
      if (before.value.automation_status !== "auto") yield* makeWaitingJobsDue({ local_conversation_id: id })
      yield* (yield* Wakeups).wake(DISPATCHER)
    }
    yield* Effect.logInfo("RenewalControl.setStatus").pipe(
      Effect.annotateLogs({ local_conversation_id: id, from: before.value.automation_status, to: status })
    )
    return yield* conversationView(id)
  })

/** Looks the job up and checks it is in `expected`, else `not_found` / `conflict`. */
const jobIn = (id: JobId, expected: RenewalJob["status"], action: string) =>
  Effect.gen(function* () {
    const job = yield* (yield* ArtifactStore).getJob(id)
    if (Option.isNone(job)) return yield* Effect.fail(NotFound.record("renewal_job", id))
    if (job.value.status !== expected) {
      return yield* Effect.fail(new Conflict({
        message: `renewal_job ${id} is ${job.value.status}; only a ${expected} job can be ${action}`,
        details: { resource: "renewal_job", resource_id: id, status: job.value.status }
      }))
    }
    return job.value
  })

const update = (id: JobId, patch: JobPatch) =>
  Effect.flatMap(ArtifactStore, (store) => store.updateJob(id, patch)).pipe(
    Effect.catchTag("RecordNotFound", () => Effect.fail(NotFound.record("renewal_job", id))),
    Effect.catchTag("InvalidStoreInput", Effect.die)
  )

/** `failed` → `pending`, due now; one more attempt allowed when they were spent; `last_error` kept. */
const retry = (id: JobId) =>
  Effect.gen(function* () {
    const job = yield* jobIn(id, "failed", "retried")
    const now = yield* Clock.currentTimeMillis
    const updated = yield* update(id, {
      status: "pending",
      next_attempt_at: now,
      finished_at: null,
      max_attempts: job.attempt_count >= job.max_attempts ? job.attempt_count + 1 : job.max_attempts
    })
    yield* (yield* Wakeups).wake(DISPATCHER)
    yield* Effect.logInfo("RenewalControl.retry").pipe(Effect.annotateLogs({ job_id: id }))
    return toJobView(updated)
  })

/** `pending` → `failed` with `last_error = "cancelled"`. */
const cancel = (id: JobId) =>
  Effect.gen(function* () {
    yield* jobIn(id, "pending", "cancelled")
    const now = yield* Clock.currentTimeMillis
    const updated = yield* update(id, { status: "failed", last_error: "cancelled", finished_at: now, next_attempt_at: null })
    yield* Effect.logInfo("RenewalControl.cancel").pipe(Effect.annotateLogs({ job_id: id }))
    return toJobView(updated)
  })

export const RenewalControlHttp = HttpApiBuilder.group(Api, "renewalControl", (handlers) =>
  handlers
    .handle("setManual", ({ path }) => setStatus(path.local_conversation_id, "manual"))
    .handle("setAuto", ({ path }) => setStatus(path.local_conversation_id, "auto"))
    .handle("setPaused", ({ path }) => setStatus(path.local_conversation_id, "paused"))
    .handle("retryJob", ({ path }) => retry(path.job_id))
    .handle("cancelJob", ({ path }) => cancel(path.job_id)))
