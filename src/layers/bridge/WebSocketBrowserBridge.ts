import { Deferred, Duration, Effect, Layer, Option } from "effect"
import type { ActionResultFrame, ProxyDeliveryFrame } from "../../domain/frames.js"
import {
  type DeliveryReceipt,
  DeliveryRejected,
  type DeliveryRequest,
  DeliveryTimeout,
  newRequestId,
  NoActiveClient
} from "../../domain/index.js"
import { firstOf } from "../../programs/firstOf.js"
import { BrowserBridge } from "../../services/BrowserBridge.js"
import * as BrowserSocketsLive from "./BrowserSocketsLive.js"
import { ClientRegistry } from "./ClientRegistry.js"
import { PendingDeliveries } from "./PendingDeliveries.js"

/** Used when a client refuses a delivery without saying why. */
export const DEFAULT_REJECT_REASON = "delivery_rejected"

const frameOf = (
  { client_id: _routedTo, ...request }: DeliveryRequest,
  request_id: ProxyDeliveryFrame["request_id"]
): ProxyDeliveryFrame => ({ type: "browser.proxy_delivery", request_id, ...request })

/** Success iff `accepted` is true and `failed` is not; otherwise the client's reason. */
const outcome = (result: ActionResultFrame) =>
  result.accepted === true && result.failed !== true
    ? Effect.succeed(result)
    : Effect.fail(
      new DeliveryRejected({
        request_id: result.request_id,
        reason: result.reason != null && result.reason.trim() !== "" ? result.reason : DEFAULT_REJECT_REASON
      })
    )

const make = Effect.gen(function*() {
  const registry = yield* ClientRegistry
  const pending = yield* PendingDeliveries

  // No span per delivery: at thousands a second its cost shows; the dispatcher's JSONL lines
  // name the request, its client and its connection.
  const deliver = (request: DeliveryRequest) =>
    Effect.gen(function*() {
      const connection = yield* registry.current(request.client_id).pipe(
        Effect.flatMap(Option.match({
          onNone: () => Effect.fail(new NoActiveClient({ client_id: request.client_id })),
          onSome: Effect.succeed
        }))
      )
      const request_id = yield* newRequestId
      const result = yield* Effect.acquireUseRelease(
        pending.open(request_id, connection.connection_id),
        // The frame goes out first: a timeout around the send as well would fork it into a
        // fiber of its own, one more trip through the scheduler before every delivery. The send
        // only queues the frame, so the timeout still counts from the moment it left. The answer
        // races the timer without waiting for the timer to wind down (`firstOf`).
        (deferred) =>
          connection.send(frameOf(request, request_id)).pipe(
            Effect.zipRight(
              firstOf(
                Deferred.await(deferred),
                // Made only when the timer wins: an error built up front took a stack trace
                // on every delivery.
                Effect.sleep(Duration.millis(request.timeout_ms)).pipe(
                  Effect.zipRight(Effect.failSync(() => new DeliveryTimeout({ request_id })))
                )
              )
            )
          ),
        () => pending.close(request_id)
      )
      const accepted = yield* outcome(result)
      const receipt: DeliveryReceipt = {
        request_id,
        connection_id: connection.connection_id,
        duplicate: accepted.duplicate === true,
        received_at: accepted.received_at ?? null
      }
      return receipt
    }).pipe(
      Effect.tapError((error) =>
        Effect.logInfo("BrowserBridge.deliver: failed").pipe(
          Effect.annotateLogs({ client_id: request.client_id, plan_id: request.plan_id, code: error.code })
        )
      )
    )

  return BrowserBridge.of({ deliver, clients: registry.clients })
})

/**
 * The live bridge, both ways: `BrowserBridge` for the dispatcher and `BrowserSockets` for the
 * WebSocket route, sharing one registry and one set of pending deliveries.
 */
export const layer = Layer.merge(Layer.effect(BrowserBridge, make), BrowserSocketsLive.layer).pipe(
  Layer.provideMerge(ClientRegistry.DefaultWithoutDependencies),
  Layer.provideMerge(PendingDeliveries.Default)
)
