import { Effect, Ref, Schedule } from "effect"
import type { ClientId } from "../../domain/index.js"
import type { ClientInfo, ClientStatus } from "../../services/BrowserBridge.js"
import type { EventsService } from "../../services/Events.js"

/** How often quiet clients are checked for going stale (or fresh again). */
export const STATUS_CHECK_MS = 5_000

/**
 * Going stale is the passing of time, not a frame: it is noticed by looking. Connects and
 * disconnects are published where they happen; this adds only fresh ↔ stale turns.
 */
export const watchStaleness = (clients: Effect.Effect<ReadonlyArray<ClientInfo>>, events: EventsService) =>
  Effect.gen(function*() {
    const last = yield* Ref.make(new Map<ClientId, ClientStatus>())
    const check = Effect.gen(function*() {
      const now = yield* clients
      const before = yield* Ref.getAndSet(last, new Map(now.map((client) => [client.client_id, client.status])))
      const turned = now.filter((client) => {
        const previous = before.get(client.client_id)
        return (previous === "fresh" && client.status === "stale") ||
          (previous === "stale" && client.status === "fresh")
      })
      yield* Effect.forEach(turned, (client) => events.publish({ type: "client.updated", client }), { discard: true })
    })
    return yield* Effect.repeat(check, Schedule.spaced(STATUS_CHECK_MS))
  })
