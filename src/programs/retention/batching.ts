import { Effect, Scheduler } from "effect"

/**
 * How job pruning sizes and spaces its batches so that it never holds the daemon's one thread
 * for long: a request that arrives during a batch waits for the rest of it.
 *
 * - Size: each batch aims at `budgetMs` of work. The next batch's size follows the last one's
 *   measured time (at most doubling, never above `max`), so a slow disk or a busy machine gets
 *   smaller batches instead of longer ones. Pruning starts small for the same reason.
 * - Spacing: after a batch of `t` ms the pruning rests `t × (1 − share) / share` ms, so it takes
 *   at most `share` of the thread; the rest is real time, not the Clock's, so TestClock never
 *   has to move for it.
 */
export interface BatchRule {
  readonly max: number
  readonly budgetMs: number
  readonly share: number
}

/** The first batch: small until a measurement says more fits the budget. */
export const firstBatch = (rule: BatchRule) => Math.min(rule.max, FIRST_BATCH)
const FIRST_BATCH = 10

/** The size after a batch of `size` jobs took `elapsedMs` (0 when time did not move, as under TestClock). */
export const nextBatch = (rule: BatchRule, size: number, elapsedMs: number): number => {
  const fits = elapsedMs > 0 ? Math.floor(size * rule.budgetMs / elapsedMs) : Infinity
  return Math.max(1, Math.min(rule.max, size * 2, fits))
}

/** How long to rest after a batch that took `elapsedMs`. */
export const restAfter = (rule: BatchRule, elapsedMs: number): number =>
  Math.ceil(elapsedMs * (1 - rule.share) / rule.share)

/**
 * Rests `ms` of real time on the fiber scheduler's timer. Even at 0 it is a timer turn, which
 * lets queued I/O (HTTP requests, bridge frames) run first: a plain yield may stay on the
 * microtask queue.
 */
export const rest = (ms: number) => Effect.yieldNow().pipe(Effect.withScheduler(Scheduler.timer(ms)))
