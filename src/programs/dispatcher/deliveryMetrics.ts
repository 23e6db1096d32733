import { Duration, Effect, Either, MetricLabel, Option, Schema } from "effect"
import type { DeliveryFailure, DeliveryReceipt, RenewalJob } from "../../domain/index.js"
import * as Metrics from "../../services/Metrics.js"

const sourceObservedAt = Schema.decodeUnknownOption(
  Schema.parseJson(Schema.Struct({ source_message: Schema.Struct({ observed_at: Schema.Number }) }))
)

/** When the reply behind the job was observed: in a json payload; a text payload has only the job's creation. */
const replyObservedAt = (job: RenewalJob): number =>
  job.payload_kind === "json"
    ? Option.match(sourceObservedAt(job.payload), {
      onNone: () => job.created_at,
      onSome: (p) => p.source_message.observed_at
    })
    : job.created_at

const OUTCOME_SUCCEEDED = [MetricLabel.make("outcome", "succeeded"), MetricLabel.make("reason", "none")]
const OUTCOME_FAILED = MetricLabel.make("outcome", "failed")

/**
 * Runs one delivery and gives its outcome as an `Either`, after counting it by outcome and
 * reason and recording how long it took and, when it succeeded, how long after the reply it
 * landed. The metrics are updated in one synchronous step read off the same clock: a delivery's
 * own effects are most of what a drained job costs.
 */
export const measured = <R>(
  job: RenewalJob,
  deliver: Effect.Effect<DeliveryReceipt, DeliveryFailure, R>
): Effect.Effect<Either.Either<DeliveryReceipt, DeliveryFailure>, never, R> =>
  Effect.clockWith((clock) => {
    const start = clock.unsafeCurrentTimeNanos()
    return Effect.tap(Effect.either(deliver), (result) =>
      Effect.sync(() => {
        Metrics.deliveryDuration.unsafeUpdate(Duration.nanos(clock.unsafeCurrentTimeNanos() - start), [])
        if (Either.isLeft(result)) {
          Metrics.deliveries.unsafeUpdate(1, [OUTCOME_FAILED, MetricLabel.make("reason", result.left.code)])
          return
        }
        Metrics.deliveries.unsafeUpdate(1, OUTCOME_SUCCEEDED)
        const now = clock.unsafeCurrentTimeMillis()
        Metrics.replyToDelivery.unsafeUpdate(Math.max(0, now - replyObservedAt(job)) / 1000, [])
      }))
  })
