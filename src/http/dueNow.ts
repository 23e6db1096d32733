import { Clock, Effect } from "effect"
import type { LocalConversationId } from "../domain/index.js"
import { ArtifactStore } from "../services/ArtifactStore.js"

const PAGE = 200

/**
 * Pending jobs waiting for a later time become due now. Used when the operator lets work go on
 * again (a conversation back to `auto`, the system resumed): jobs deferred while paused would
 * otherwise sit out the whole recheck delay. Jobs in a retry backoff are included on purpose.
 */
export const makeWaitingJobsDue = (scope: { readonly local_conversation_id?: LocalConversationId }) =>
  Effect.gen(function* () {
    const store = yield* ArtifactStore
    const now = yield* Clock.currentTimeMillis
    let made = 0
    for (let offset = 0; ; offset += PAGE) {
      const jobs = yield* store.listJobs({ ...scope, status: "pending", limit: PAGE, offset })
      for (const job of jobs) {
        if (job.next_attempt_at !== null && job.next_attempt_at <= now) continue
        yield* store.updateJob(job.job_id, { next_attempt_at: now }).pipe(Effect.ignore)
        made++
      }
      if (jobs.length < PAGE) return made
    }
  }).pipe(Effect.withSpan("RenewalControl.makeWaitingJobsDue"))
