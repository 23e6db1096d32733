/** Reconnect delays: exponential from `baseMs`, capped at `maxMs`, with "equal jitter". */
export interface BackoffPolicy {
  readonly baseMs: number
  readonly maxMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 15_000 }

/**
 * The delay before reconnect attempt `attempt` (0 for the first), in [ceiling / 2, ceiling]
 * where ceiling = min(maxMs, baseMs * 2^attempt). Half is fixed so a flapping daemon is never
 * hammered; half is random so many browsers do not reconnect in step. `random` is in [0, 1).
 */
export const backoffDelay = (attempt: number, random: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number => {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(Math.max(attempt, 0), 30))
  return Math.round(ceiling / 2 + (ceiling / 2) * random)
}
