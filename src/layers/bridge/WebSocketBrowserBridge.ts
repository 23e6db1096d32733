import { Effect, Layer, Option } from "effect"
import type { ActionResultFrame, ProxyDeliveryFrame } from "../../domain/frames.js"
import {
  type DeliveryFailure,
  type DeliveryReceipt,
  DeliveryRejected,
  type DeliveryRequest,
  newRequestId,
  NoActiveClient
} from "../../domain/index.js"
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
  const deliver = (request: DeliveryRequest): Effect.Effect<DeliveryReceipt, DeliveryFailure> =>
    Effect.flatMap(registry.current(request.client_id), (found): Effect.Effect<DeliveryReceipt, DeliveryFailure> => {
      if (Option.isNone(found)) return Effect.fail(new NoActiveClient({ client_id: request.client_id }))
      const connection = found.value
      return Effect.flatMap(newRequestId, (request_id) =>
        pending.deliver(
          request_id,
          connection.connection_id,
          request.timeout_ms,
          connection.send(frameOf(request, request_id))
        ).pipe(
          Effect.flatMap(outcome),
          Effect.map((accepted): DeliveryReceipt => ({
            request_id,
            connection_id: connection.connection_id,
            duplicate: accepted.duplicate === true,
            received_at: accepted.received_at ?? null
          }))
        ))
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
