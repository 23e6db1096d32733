import { Clock, Effect, Exit, Queue } from "effect"
import type { ActionResultFrame } from "../../domain/frames.js"
import { ClientDisconnected, type ConnectionId, DeliveryTimeout, type RequestId } from "../../domain/index.js"

type Answer = Exit.Exit<ActionResultFrame, ClientDisconnected | DeliveryTimeout>

/** One delivery waiting for its `action_result`, answered at most once. */
interface Waiting {
  readonly connection_id: ConnectionId
  readonly deadline: number
  /** Set when the answer came before the sender started waiting for it. */
  answer: Answer | undefined
  /** The waiting sender, once it waits. */
  resume: ((answer: Answer) => void) | undefined
}

/**
 * Deliveries waiting for their `action_result`, by request id. A result counts only from the
 * connection the delivery went to; anything else is a late or unknown result and is ignored.
 * A waiting delivery is a callback in a map, and one sweeper fiber fails those past their
 * deadline: a timer raced against every delivery cost two forked fibers and a sleep each.
 */
export class PendingDeliveries extends Effect.Service<PendingDeliveries>()("baa-conductor/PendingDeliveries", {
  scoped: Effect.gen(function*() {
    const waiting = new Map<RequestId, Waiting>()
    // The deadline the sweeper sleeps until; Infinity while nothing waits.
    let armed = Number.POSITIVE_INFINITY
    const rearm = yield* Queue.sliding<void>(1)

    const answer = (request_id: RequestId, entry: Waiting, result: Answer) => {
      waiting.delete(request_id)
      if (entry.resume === undefined) entry.answer = result
      else entry.resume(result)
    }

    /**
     * Sends the delivery's frame with `send` and waits for its answer until `timeout_ms` after
     * it left: the result, `client_disconnected` if the connection goes first, or
     * `delivery_timeout`. It is registered before the frame leaves, so no answer can outrun it.
     */
    const deliver = (
      request_id: RequestId,
      connection_id: ConnectionId,
      timeout_ms: number,
      send: Effect.Effect<void>
    ): Effect.Effect<ActionResultFrame, ClientDisconnected | DeliveryTimeout> =>
      Effect.clockWith((clock) => {
        const entry: Waiting = {
          connection_id,
          deadline: clock.unsafeCurrentTimeMillis() + timeout_ms,
          answer: undefined,
          resume: undefined
        }
        waiting.set(request_id, entry)
        if (entry.deadline < armed) {
          armed = entry.deadline
          rearm.unsafeOffer(undefined)
        }
        const wait = Effect.async<ActionResultFrame, ClientDisconnected | DeliveryTimeout>((resume) => {
          if (entry.answer !== undefined) return resume(entry.answer)
          entry.resume = resume
          return Effect.sync(() => {
            waiting.delete(request_id)
          })
        })
        return Effect.zipRight(send, wait)
      })

    /** Completes the matching delivery; false when nothing was waiting for it. */
    const resolve = (connection_id: ConnectionId, frame: ActionResultFrame) =>
      Effect.sync(() => {
        const entry = waiting.get(frame.request_id)
        if (entry === undefined || entry.connection_id !== connection_id) return false
        answer(frame.request_id, entry, Exit.succeed(frame))
        return true
      })

    /** The connection is gone: every delivery still waiting on it fails with `client_disconnected`. */
    const failConnection = (connection_id: ConnectionId) =>
      Effect.sync(() => {
        for (const [request_id, entry] of waiting) {
          if (entry.connection_id === connection_id) {
            answer(request_id, entry, Exit.fail(new ClientDisconnected({ request_id })))
          }
        }
      })

    /** Fails every delivery past its deadline and returns the next deadline, Infinity if none. */
    const sweep = (now: number) => {
      let next = Number.POSITIVE_INFINITY
      for (const [request_id, entry] of waiting) {
        if (entry.deadline <= now) answer(request_id, entry, Exit.fail(new DeliveryTimeout({ request_id })))
        else next = Math.min(next, entry.deadline)
      }
      return next
    }

    // Sleeps until the earliest deadline it knows of; a delivery due earlier wakes it to re-arm.
    // With one timeout for every delivery, a new one is never due earlier while others wait.
    const sweeper = Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      armed = sweep(now)
      if (armed === Number.POSITIVE_INFINITY) return yield* Queue.take(rearm)
      yield* Effect.raceFirst(Effect.sleep(armed - now), Queue.take(rearm))
    })
    yield* Effect.forkScoped(Effect.forever(sweeper))

    return { deliver, resolve, failConnection } as const
  })
}) {}
