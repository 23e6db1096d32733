import { Clock, Effect, Either, Metric, Option, Schema } from "effect"
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

// Tagged once: a tagged metric built per delivery costs a registry lookup each time.
const succeeded = Metrics.deliveries.pipe(Metric.tagged("outcome", "succeeded"), Metric.tagged("reason", "none"))

/**
 * Counts one delivery by outcome and reason, and records how long it took and, when it
 * succeeded, how long after the reply it landed. The delivery itself is left as it is.
 */
export const measured = (job: RenewalJob) => <R>(deliver: Effect.Effect<DeliveryReceipt, DeliveryFailure, R>) =>
  deliver.pipe(
    Effect.either,
    Metric.trackDuration(Metrics.deliveryDuration),
    Effect.tap((result) =>
      Either.match(result, {
        onLeft: (failure) =>
          Metric.update(
            Metrics.deliveries.pipe(Metric.tagged("outcome", "failed"), Metric.tagged("reason", failure.code)),
            1
          ),
        onRight: () =>
          Effect.zipRight(
            Metric.update(succeeded, 1),
            Effect.flatMap(
              Clock.currentTimeMillis,
              (now) => Metric.update(Metrics.replyToDelivery, Math.max(0, now - replyObservedAt(job)) / 1000)
            )
          )
      })
    ),
    Effect.flatten
  )
