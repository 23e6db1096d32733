import { Context, Effect, Layer, Ref } from "effect"
import {
  ConnectionId,
  type DeliveryFailure,
  type DeliveryReceipt,
  type DeliveryRequest,
  RequestId
} from "../../src/domain/index.js"
import { BrowserBridge } from "../../src/services/BrowserBridge.js"

/** What the next delivery does: an Effect, so a test can also hold it (`Deferred.await`) or hang it. */
export type Outcome = Effect.Effect<DeliveryReceipt, DeliveryFailure>

export const receipt = (n = 1): DeliveryReceipt => ({
  request_id: RequestId.make(`req_test_${n}`),
  connection_id: ConnectionId.make("conn_test"),
  duplicate: false,
  received_at: null
})

export const accepted = (n = 1): Outcome => Effect.succeed(receipt(n))
export const rejected = (failure: DeliveryFailure): Outcome => Effect.fail(failure)

/** The script of the test bridge: queued outcomes, and every request it was given. */
export class BrowserBridgeScript extends Context.Tag("test/BrowserBridgeScript")<
  BrowserBridgeScript,
  {
    readonly respond: (...outcomes: ReadonlyArray<Outcome>) => Effect.Effect<void>
    readonly requests: Effect.Effect<ReadonlyArray<DeliveryRequest>>
  }
>() {}

/**
 * A bridge that answers each delivery with the next scripted outcome and dies on a delivery
 * nobody scripted, or on `clients`: a test never passes by accident.
 */
export const layer: Layer.Layer<BrowserBridge | BrowserBridgeScript> = Layer.effectContext(
  Effect.gen(function*() {
    const script = yield* Ref.make<ReadonlyArray<Outcome>>([])
    const seen = yield* Ref.make<ReadonlyArray<DeliveryRequest>>([])
    const deliver = (request: DeliveryRequest): Outcome =>
      Ref.update(seen, (all) => [...all, request]).pipe(
        Effect.zipRight(Ref.modify(script, ([next, ...rest]) => [next, rest] as const)),
        Effect.flatMap((next) =>
          next === undefined ? Effect.dieMessage(`BrowserBridgeTest: unscripted delivery of ${request.plan_id}`) : next
        )
      )
    return Context.make(
      BrowserBridge,
      BrowserBridge.of({ deliver, clients: Effect.dieMessage("BrowserBridgeTest: clients not scripted") })
    ).pipe(
      Context.add(BrowserBridgeScript, {
        respond: (...outcomes) => Ref.update(script, (queued) => [...queued, ...outcomes]),
        requests: Ref.get(seen)
      })
    )
  })
)
