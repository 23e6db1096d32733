import { Context, type Effect } from "effect"

/**
 * Wake-up signals for timed-jobs runners. The bridge, the HTTP API and the projector wake the
 * dispatcher through this without knowing the scheduler, which keeps the data flow one way.
 */
export interface WakeupsService {
  readonly wake: (runner: string) => Effect.Effect<void>
  /**
   * Wakes `runner` at `at` (epoch ms, by the `Clock`), at once when that has passed. One timer
   * per runner, set to the earliest time asked for: a later time never delays an earlier one.
   */
  readonly wakeAt: (runner: string, at: number) => Effect.Effect<void>
  /**
   * Completes at the next wake-up of `runner`. A wake-up signalled while nobody waits is kept
   * (at most one), so a wake during a tick makes the next tick start at once.
   */
  readonly take: (runner: string) => Effect.Effect<void>
  /**
   * Forgets the wake-up kept for `runner`, if any: a tick about to look will see what it
   * announced, so it need not cost another tick after this one.
   */
  readonly clear: (runner: string) => Effect.Effect<void>
}

export class Wakeups extends Context.Tag("baa-conductor/Wakeups")<Wakeups, WakeupsService>() {}

export const DISPATCHER = "renewal.dispatcher"
export const PROJECTOR = "renewal.projector"
