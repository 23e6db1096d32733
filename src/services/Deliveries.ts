import { Context, type Effect } from "effect"

/**
 * The dispatcher's deliveries in flight, as shutdown and `drain` see them.
 */
export interface DeliveriesService {
  /** How many deliveries are in flight now. */
  readonly size: Effect.Effect<number>
  /** Completes once nothing is in flight, or after the execution timeout, whichever comes first. */
  readonly drained: Effect.Effect<void>
  /**
   * Shutdown: claim nothing more, wait for the deliveries in flight up to the execution
   * timeout, then interrupt what is left (its jobs stay `running` for recovery). Idempotent.
   */
  readonly settle: Effect.Effect<void>
}

export class Deliveries extends Context.Tag("baa-conductor/Deliveries")<Deliveries, DeliveriesService>() {}
