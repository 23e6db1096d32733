import { Clock, Effect, Ref } from "effect"
import type { ArtifactStoreService } from "../../services/ArtifactStore.js"

/**
 * What a finished delivery does for the dispatcher: it freed a slot and its conversation, which
 * matters only to a job that is due and waiting. The last tick's claim says whether one may wait
 * for a slot (it filled every free slot); otherwise the earliest pending job says whether any is
 * due (one of the delivered conversation's, or of one still running). Only then is the
 * dispatcher woken, so a lone reply's delivery does not cost an empty claim while the next
 * reply is being stored. When in doubt (the store failed), it wakes.
 */
export const make = (store: ArtifactStoreService, wake: Effect.Effect<void>) =>
  Effect.map(Ref.make(false), (slotsFull) => ({
    /** The tick's claim filled every slot it was allowed (none free counts as full). */
    claimed: (claimed: number, limit: number) => Ref.set(slotsFull, claimed >= limit),
    finished: Effect.flatMap(Ref.get(slotsFull), (full) =>
      full
        ? wake
        : Effect.zipWith(
          Clock.currentTimeMillis,
          store.nextDueAfter(Number.MIN_SAFE_INTEGER),
          (now, earliest) => earliest !== null && earliest <= now
        ).pipe(
          Effect.flatMap((due) => (due ? wake : Effect.void)),
          Effect.catchAllCause(() => wake)
        ))
  }))
