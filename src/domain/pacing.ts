import { Schema } from "effect"
import { Millis } from "./ids.js"

/**
 * How fast renewals may go out. Chat sites flag accounts that post too fast, so every limit
 * errs on the slow side by default; `0` turns one off (for benchmarks).
 */
export interface PacingLimits {
  /** At most one successful delivery per conversation in this many ms. */
  readonly conversationMinIntervalMs: number
  /** At most this many deliveries per platform in any sliding minute. */
  readonly platformMaxPerMinute: number
  /** At most this many deliveries per browser client in any sliding minute. */
  readonly clientMaxPerMinute: number
  /** Consecutive delivery failures on a platform that open its circuit. */
  readonly breakerFailures: number
  /** How long an open circuit stays open before one trial delivery. */
  readonly breakerCooldownMs: number
}

/**
 * The per-client limit is the platform limit scaled for several platforms in one browser: one
 * profile posting to three sites at their full pace (3 × 20) is still a human-like pace, and a
 * runaway client cannot exceed it whatever its platforms.
 */
export const defaultPacingLimits: PacingLimits = {
  conversationMinIntervalMs: 60_000,
  platformMaxPerMinute: 20,
  clientMaxPerMinute: 60,
  breakerFailures: 5,
  breakerCooldownMs: 300_000
}

/** No pacing and no breaker: every delivery goes out at once. */
export const unlimitedPacing: PacingLimits = {
  conversationMinIntervalMs: 0,
  platformMaxPerMinute: 0,
  clientMaxPerMinute: 0,
  breakerFailures: 0,
  breakerCooldownMs: 0
}

export const WINDOW_MS = 60_000

/** Why a delivery waits without spending an attempt. */
export type PacingReason = "conversation_paced" | "platform_paced" | "client_paced" | "circuit_open"

export interface Deferral {
  readonly reason: PacingReason
  /** When the limit that held the delivery back lets one through again. */
  readonly until: number
}

/** Send times still inside the window ending at `now`, oldest first. */
export const inWindow = (sent: ReadonlyArray<number>, now: number): ReadonlyArray<number> => {
  const first = sent.findIndex((at) => at > now - WINDOW_MS)
  return first === -1 ? [] : first === 0 ? sent : sent.slice(first)
}

/** When a sliding-minute limit admits one more, or undefined when it does now. */
export const windowWait = (sent: ReadonlyArray<number>, maxPerMinute: number, now: number): number | undefined => {
  if (maxPerMinute <= 0) return undefined
  const recent = inWindow(sent, now)
  return recent.length < maxPerMinute ? undefined : recent[recent.length - maxPerMinute]! + WINDOW_MS
}

/** When a conversation may get its next delivery, or undefined when it may now. */
export const intervalWait = (lastSentAt: number | undefined, minIntervalMs: number, now: number): number | undefined =>
  minIntervalMs <= 0 || lastSentAt === undefined || lastSentAt + minIntervalMs <= now
    ? undefined
    : lastSentAt + minIntervalMs

export const CircuitState = Schema.Literal("closed", "open", "half_open")
export type CircuitState = typeof CircuitState.Type

/**
 * A platform's circuit. `open_until` is set while open; `trial_at` while a half-open trial
 * delivery is out (a trial that never reports back is given up after a cool-down).
 */
export interface Breaker {
  readonly failures: number
  readonly open_until: number | null
  readonly trial_at: number | null
}

export const closedBreaker: Breaker = { failures: 0, open_until: null, trial_at: null }

export const circuitState = (breaker: Breaker, now: number): CircuitState =>
  breaker.trial_at !== null || (breaker.open_until !== null && breaker.open_until <= now)
    ? "half_open"
    : breaker.open_until !== null
    ? "open"
    : "closed"

/** Whether the breaker lets a delivery through now: the next breaker, or when to try again. */
export const breakerAdmit = (
  breaker: Breaker,
  limits: PacingLimits,
  now: number
): { readonly admitted: Breaker } | { readonly until: number } => {
  if (breaker.trial_at !== null) {
    const givenUpAt = breaker.trial_at + limits.breakerCooldownMs
    return givenUpAt > now ? { until: givenUpAt } : { admitted: { ...breaker, trial_at: now } }
  }
  if (breaker.open_until === null) return { admitted: breaker }
  if (breaker.open_until > now) return { until: breaker.open_until }
  // Cool-down over: half-open, this delivery is the one trial.
  return { admitted: { ...breaker, trial_at: now } }
}

/** A delivery's outcome: success closes the circuit; enough failures in a row (or a failed trial) open it. */
export const breakerRecord = (breaker: Breaker, succeeded: boolean, limits: PacingLimits, now: number): Breaker => {
  if (succeeded) return closedBreaker
  const failures = breaker.failures + 1
  const trips = limits.breakerFailures > 0 && (breaker.trial_at !== null || failures >= limits.breakerFailures)
  return trips
    ? { failures, open_until: now + limits.breakerCooldownMs, trial_at: null }
    : { ...breaker, failures }
}

/** What `GET /v1/browser` shows of one platform's pacing and circuit. */
export const PlatformPolicy = Schema.Struct({
  platform: Schema.String,
  limit_per_minute: Schema.NullOr(Schema.Int),
  used_last_minute: Schema.Int,
  circuit: CircuitState,
  consecutive_failures: Schema.Int,
  next_try_at: Schema.NullOr(Millis)
})
export type PlatformPolicy = typeof PlatformPolicy.Type

/**
 * Whether a failed delivery says something about the platform: a client that is not connected
 * does not, a timeout, a dropped connection or a refusal from the page does.
 */
export const countsAgainstPlatform = (failure: { readonly _tag: string }): boolean => failure._tag !== "NoActiveClient"
