import { Data, Effect } from "effect"
import type { DeliveryRequest, RenewalJob } from "../../domain/index.js"

/**
 * Whether a planned delivery may go out now. `Wait` keeps the job `pending` until `until`
 * without counting an attempt, logged as `job_deferred` with `reason` as its result.
 */
export type PaceDecision = Data.TaggedEnum<{
  Proceed: {}
  Wait: { readonly until: number; readonly reason: string }
}>
export const PaceDecision = Data.taggedEnum<PaceDecision>()

/** The one check the dispatcher makes right before a delivery: rate limits plug in here. */
export type Pacing = (request: DeliveryRequest, job: RenewalJob) => Effect.Effect<PaceDecision>

const proceed = PaceDecision.Proceed()

/** No limit: every planned delivery goes out at once. */
export const unpaced: Pacing = () => Effect.succeed(proceed)
