import { Context, Effect, type Either, Option } from "effect"
import type {
  Deferral,
  DeliveryFailure,
  DeliveryReceipt,
  DeliveryRequest,
  LocalConversationId,
  PlatformPolicy
} from "../domain/index.js"

/** The delivery a dispatcher is about to send, as the policy sees it. */
export interface PacedDelivery {
  readonly request: Pick<DeliveryRequest, "platform" | "client_id">
  readonly local_conversation_id: LocalConversationId
}

/**
 * Per-conversation, per-platform and per-client pacing and a per-platform circuit breaker,
 * checked before each delivery. A delivery the policy holds back is deferred, never failed.
 */
export interface DeliveryPolicyService {
  /** None: send now (the send is counted). Some: wait until `until`, for `reason`. */
  readonly admit: (delivery: PacedDelivery) => Effect.Effect<Option.Option<Deferral>>
  /**
   * A sent delivery's outcome: for the breaker, and a success starts its conversation's
   * interval (a failed attempt posted nothing, so its retry is not held back).
   */
  readonly record: (
    delivery: PacedDelivery,
    outcome: Either.Either<DeliveryReceipt, DeliveryFailure>
  ) => Effect.Effect<void>
  /** Each platform the policy has seen and each of `known`, by name, for `GET /v1/browser`. */
  readonly platforms: (known: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<PlatformPolicy>>
}

/** Without a live policy (tests, tools) every delivery goes out at once. */
export class DeliveryPolicy extends Context.Reference<DeliveryPolicy>()("baa-conductor/DeliveryPolicy", {
  defaultValue: (): DeliveryPolicyService => ({
    admit: () => Effect.succeed(Option.none()),
    record: () => Effect.void,
    platforms: (known) =>
      Effect.succeed(
        [...new Set(known)].sort().map((platform) => ({
          platform,
          limit_per_minute: null,
          used_last_minute: 0,
          circuit: "closed" as const,
          consecutive_failures: 0,
          next_try_at: null
        }))
      )
  })
}) {}
