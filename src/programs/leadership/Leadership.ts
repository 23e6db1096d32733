import { Clock, Context, Effect, Layer, Option, Ref, Schedule } from "effect"
import { ArtifactStore } from "../../services/ArtifactStore.js"
import { ConductorConfig } from "../../services/ConductorConfig.js"
import { DEFAULT_LEASE_MS, HEARTBEAT_MS, Leases } from "../../services/Leases.js"
import { RenewalLog } from "../../services/RenewalLog.js"
import { PROJECTOR, Wakeups } from "../../services/Wakeups.js"
import { recoverDeadNode } from "./nodeRecovery.js"

export interface LeadershipService {
  /** The term this node leads under, while its lease lasts by its own clock; none otherwise. */
  readonly term: Effect.Effect<Option.Option<number>>
  /** Stops leading at once (a commit found a newer term); a later heartbeat may win again. */
  readonly stepDown: Effect.Effect<void>
}

export class Leadership extends Context.Tag("baa-conductor/Leadership")<Leadership, LeadershipService>() {}

interface Held {
  readonly term: number
  readonly lease_until: number
}

/**
 * Every heartbeat this node renews its own lease; a primary also renews or takes the leader
 * lease, and removes the lapsed leases of other nodes, recovering what each left running. A
 * standby records itself and nothing more: it never leads. Stopping gives both leases up, so
 * another node leads and recovers at once instead of after the lease.
 */
export const layer = (options: { readonly leaseMs?: number } = {}) =>
  Layer.scoped(
    Leadership,
    Effect.gen(function*() {
      const leases = yield* Leases
      const store = yield* ArtifactStore
      const log = yield* RenewalLog
      const wakeups = yield* Wakeups
      const { node } = yield* ConductorConfig
      const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS
      const holder = { node_id: node.nodeId, run_id: node.runId }
      const held = yield* Ref.make(Option.none<Held>())

      const lead = (now: number) =>
        Effect.gen(function*() {
          const won = yield* leases.acquire(holder, now, now + leaseMs)
          const before = yield* Ref.getAndSet(held, won)
          if (Option.isSome(won) && Option.getOrUndefined(before)?.term !== won.value.term) {
            yield* Effect.logInfo("Leadership: leading").pipe(Effect.annotateLogs({ term: won.value.term }))
            yield* wakeups.wake(PROJECTOR)
          }
          if (Option.isNone(won) && Option.isSome(before)) {
            yield* Effect.logWarning("Leadership: lease lost").pipe(Effect.annotateLogs({ term: before.value.term }))
          }
          const dead = yield* leases.reap(node.nodeId, now)
          yield* Effect.forEach(dead, (lease) => recoverDeadNode({ store, log, node }, lease), { discard: true })
        })

      const beat = Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        yield* leases.beat({ ...holder, role: node.role }, now, now + leaseMs)
        if (node.role === "primary") yield* lead(now)
      }).pipe(Effect.catchAllCause((cause) => Effect.logWarning("Leadership: heartbeat failed", cause)))

      yield* Effect.addFinalizer(() =>
        Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          yield* leases.resign(holder, now)
          yield* leases.leave(holder, now)
        }).pipe(Effect.catchAllCause(() => Effect.void))
      )
      // The first beat before anything runs: a lone daemon leads from its first projector tick.
      yield* beat
      yield* beat.pipe(Effect.repeat(Schedule.spaced(HEARTBEAT_MS)), Effect.delay(HEARTBEAT_MS), Effect.forkScoped)

      return Leadership.of({
        term: Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          return Option.filterMap(
            yield* Ref.get(held),
            (h) => h.lease_until > now ? Option.some(h.term) : Option.none()
          )
        }),
        stepDown: Ref.set(held, Option.none())
      })
    })
  )
