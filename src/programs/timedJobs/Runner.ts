import type { Effect } from "effect"
import type { TickContext, TickOutcome } from "../../services/TimedJobs.js"

/**
 * A program the timed-jobs scheduler ticks. A tick may fail or die: the scheduler logs it,
 * records `error` as the tick's result and keeps the schedule going.
 */
export interface Runner<E = unknown, R = never> {
  readonly name: string
  /** Its own tick interval; the scheduler's `interval_ms` otherwise. */
  readonly intervalMs?: number
  readonly tick: (context: TickContext) => Effect.Effect<TickOutcome, E, R>
}

export const outcome = (result: string, details: Readonly<Record<string, unknown>> = {}): TickOutcome => ({
  result,
  details
})
