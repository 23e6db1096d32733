/**
 * Delay before the next try after `attemptCount` attempts (counting the one that just failed):
 * `min(max, base * 2^(attemptCount - 1))`, so base, 2·base, 4·base, … capped at max.
 */
export const retryDelayMs = (attemptCount: number, baseMs: number, maxMs: number): number =>
  Math.min(maxMs, baseMs * 2 ** Math.max(0, attemptCount - 1))

/**
 * Grace added to `execution_timeout_ms` before a running job counts as stale: the delivery's own
 * timeout plus time to write its outcome. At most 10 s; shorter timeouts get an equal grace.
 */
export const staleGraceMs = (executionTimeoutMs: number): number => Math.min(10_000, executionTimeoutMs)
