import { Clock, Effect, Either, Layer, Option } from "effect"
import {
  type Breaker,
  breakerAdmit,
  breakerRecord,
  circuitState,
  closedBreaker,
  countsAgainstPlatform,
  type Deferral,
  intervalWait,
  inWindow,
  type PacingLimits,
  type PlatformPolicy,
  windowWait
} from "../domain/index.js"
import { DeliveryPolicy, type DeliveryPolicyService, type PacedDelivery } from "../services/DeliveryPolicy.js"

/** Past this many remembered conversations, those whose interval has passed are forgotten. */
const SWEEP_AT = 10_000

/**
 * The policy in memory: a restart forgets the pace, which errs on the fast side only once per
 * start. Every check-and-count runs in one synchronous step, so concurrent deliveries cannot
 * both take the last slot.
 */
export const make = (limits: PacingLimits): DeliveryPolicyService => {
  const lastSent = new Map<string, number>()
  const platformSent = new Map<string, ReadonlyArray<number>>()
  const clientSent = new Map<string, ReadonlyArray<number>>()
  const breakers = new Map<string, Breaker>()
  const off = limits.conversationMinIntervalMs <= 0 && limits.platformMaxPerMinute <= 0 &&
    limits.clientMaxPerMinute <= 0 && limits.breakerFailures <= 0

  const sweep = (now: number) => {
    if (lastSent.size < SWEEP_AT) return
    for (const [key, at] of lastSent) if (at + limits.conversationMinIntervalMs <= now) lastSent.delete(key)
  }

  const decide = ({ local_conversation_id, request }: PacedDelivery, now: number): Option.Option<Deferral> => {
    const breaker = breakers.get(request.platform) ?? closedBreaker
    const circuit = breakerAdmit(breaker, limits, now)
    if ("until" in circuit) return Option.some({ reason: "circuit_open", until: circuit.until })
    const conversationAt = intervalWait(lastSent.get(local_conversation_id), limits.conversationMinIntervalMs, now)
    if (conversationAt !== undefined) return Option.some({ reason: "conversation_paced", until: conversationAt })
    const platform = inWindow(platformSent.get(request.platform) ?? [], now)
    const platformAt = windowWait(platform, limits.platformMaxPerMinute, now)
    if (platformAt !== undefined) return Option.some({ reason: "platform_paced", until: platformAt })
    const client = inWindow(clientSent.get(request.client_id) ?? [], now)
    const clientAt = windowWait(client, limits.clientMaxPerMinute, now)
    if (clientAt !== undefined) return Option.some({ reason: "client_paced", until: clientAt })
    // Admitted: the send counts now, before it is out, so the next check already sees it.
    breakers.set(request.platform, circuit.admitted)
    platformSent.set(request.platform, [...platform, now])
    if (limits.clientMaxPerMinute > 0) clientSent.set(request.client_id, [...client, now])
    sweep(now)
    return Option.none()
  }

  const admit = (delivery: PacedDelivery) =>
    off ? Effect.succeed(Option.none<Deferral>()) : Effect.map(Clock.currentTimeMillis, (now) => decide(delivery, now))

  const record: DeliveryPolicyService["record"] = ({ local_conversation_id, request }, outcome) =>
    off || (Either.isLeft(outcome) && !countsAgainstPlatform(outcome.left))
      ? Effect.void
      : Effect.map(Clock.currentTimeMillis, (now) => {
        const succeeded = Either.isRight(outcome)
        if (succeeded && limits.conversationMinIntervalMs > 0) lastSent.set(local_conversation_id, now)
        const before = breakers.get(request.platform) ?? closedBreaker
        breakers.set(request.platform, breakerRecord(before, succeeded, limits, now))
      })

  const view = (platform: string, now: number): PlatformPolicy => {
    const breaker = breakers.get(platform) ?? closedBreaker
    const circuit = circuitState(breaker, now)
    const sent = inWindow(platformSent.get(platform) ?? [], now)
    const paced = windowWait(sent, limits.platformMaxPerMinute, now)
    const next_try_at = circuit === "open"
      ? breaker.open_until
      : breaker.trial_at !== null
      ? breaker.trial_at + limits.breakerCooldownMs
      : paced ?? null
    return {
      platform,
      limit_per_minute: limits.platformMaxPerMinute > 0 ? limits.platformMaxPerMinute : null,
      used_last_minute: sent.length,
      circuit,
      consecutive_failures: breaker.failures,
      next_try_at
    }
  }

  const platforms = (known: ReadonlyArray<string>) =>
    Effect.map(
      Clock.currentTimeMillis,
      (now) =>
        [...new Set([...known, ...platformSent.keys(), ...breakers.keys()])].sort().map((platform) =>
          view(platform, now)
        )
    )

  return { admit, record, platforms }
}

export const layer = (limits: PacingLimits) => Layer.sync(DeliveryPolicy, () => make(limits))
