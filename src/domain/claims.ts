import { Schema } from "effect"
import { LocalConversationId, Millis } from "./ids.js"

/** Who claims: a node, and one run of it. Recovery finds the jobs an earlier run left `running`. */
export const Claimant = Schema.Struct({
  node_id: Schema.String,
  run_id: Schema.String
})
export type Claimant = typeof Claimant.Type

/** Up to `limit` jobs due at `now`. */
export const ClaimRequest = Schema.Struct({
  ...Claimant.fields,
  now: Millis,
  limit: Schema.Int
})
export type ClaimRequest = typeof ClaimRequest.Type

/** The claim a dispatcher holds on a running job: who took it, in which run, at what time. */
export const JobClaim = Schema.Struct({
  ...Claimant.fields,
  claimed_at: Millis
})
export type JobClaim = typeof JobClaim.Type

/** Which running jobs are stale, and how a recovered one is stamped. */
export const StaleRecovery = Schema.Struct({
  ...Claimant.fields,
  /** Any job claimed before this is stale whoever holds it. */
  claimed_before: Schema.Number,
  now: Millis,
  /** The retryable code the lost attempt is recorded with. */
  last_error: Schema.String,
  /** Kept when the job already has one. */
  log_path: Schema.String
})
export type StaleRecovery = typeof StaleRecovery.Type

/** Pending jobs waiting past `now` become due at `now`; all of them, or one conversation's. */
export const DueNowRequest = Schema.Struct({
  now: Millis,
  local_conversation_id: Schema.optional(LocalConversationId)
})
export type DueNowRequest = typeof DueNowRequest.Type

/** A claim that also starts each job's attempt: its log file is kept, or set to `log_path`. */
export const AttemptClaimRequest = Schema.Struct({
  ...ClaimRequest.fields,
  log_path: Schema.String
})
export type AttemptClaimRequest = typeof AttemptClaimRequest.Type
