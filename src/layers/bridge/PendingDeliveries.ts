import { Deferred, Effect, HashMap, Option, Ref } from "effect"
import type { ActionResultFrame } from "../../domain/frames.js"
import { ClientDisconnected, type ConnectionId, type RequestId } from "../../domain/index.js"

interface Pending {
  readonly connection_id: ConnectionId
  readonly result: Deferred.Deferred<ActionResultFrame, ClientDisconnected>
}

/**
 * Deliveries waiting for their `action_result`, by request id. A result counts only from the
 * connection the delivery went to; anything else is a late or unknown result and is ignored.
 */
export class PendingDeliveries extends Effect.Service<PendingDeliveries>()("baa-conductor/PendingDeliveries", {
  effect: Effect.gen(function*() {
    const pending = yield* Ref.make(HashMap.empty<RequestId, Pending>())

    const open = (request_id: RequestId, connection_id: ConnectionId) =>
      Effect.gen(function*() {
        const result = yield* Deferred.make<ActionResultFrame, ClientDisconnected>()
        yield* Ref.update(pending, HashMap.set(request_id, { connection_id, result }))
        return result
      })

    const close = (request_id: RequestId) => Ref.update(pending, HashMap.remove(request_id))

    /** Completes the matching delivery; false when nothing was waiting for it. */
    const resolve = (connection_id: ConnectionId, frame: ActionResultFrame) =>
      Ref.get(pending).pipe(
        Effect.map(HashMap.get(frame.request_id)),
        Effect.flatMap(
          Option.match({
            onNone: () => Effect.succeed(false),
            onSome: (entry) =>
              entry.connection_id === connection_id ? Deferred.succeed(entry.result, frame) : Effect.succeed(false)
          })
        )
      )

    /** The connection is gone: every delivery still waiting on it fails with `client_disconnected`. */
    const failConnection = (connection_id: ConnectionId) =>
      Ref.get(pending).pipe(
        Effect.flatMap((all) =>
          Effect.forEach(
            HashMap.filter(all, (entry) => entry.connection_id === connection_id),
            ([request_id, entry]) => Deferred.fail(entry.result, new ClientDisconnected({ request_id })),
            { discard: true }
          )
        )
      )

    return { open, close, resolve, failConnection } as const
  })
}) {}
