import { Duration, Effect, type Fiber, FiberSet, Ref } from "effect"
import type { DeliveriesService } from "../../services/Deliveries.js"
import type { JobResult } from "./attempt.js"

export type DeliveryResult = JobResult | "errored"

/**
 * The deliveries in flight, each its own fiber in the dispatcher's scope: a slow or silent one
 * holds only its own slot. The daemon's shutdown runs `settle` before anything else closes: it
 * stops claiming, lets the deliveries in flight finish and be written for up to the execution
 * timeout, then interrupts what is left. Closing the scope alone interrupts at once. A delivery
 * cut short leaves its job `running` for recovery.
 */
export const make = (maxInFlight: number, graceMs: number) =>
  Effect.gen(function*() {
    const fibers = yield* FiberSet.make<DeliveryResult>()
    const closing = yield* Ref.make(false)
    const grace = Duration.millis(graceMs)
    const drained = FiberSet.awaitEmpty(fibers).pipe(Effect.timeoutOption(grace), Effect.asVoid)
    // The daemon runs it as a finalizer, uninterruptibly: the wait must still end at its timeout.
    const settle = Ref.set(closing, true).pipe(
      Effect.zipRight(Effect.interruptible(drained)),
      Effect.zipRight(FiberSet.clear(fibers))
    )
    const deliveries: DeliveriesService = { size: FiberSet.size(fibers), drained, settle }
    return {
      /** Free slots now, none once settling; ticks never overlap, so only finishing deliveries change it meanwhile. */
      capacity: Effect.zipWith(
        FiberSet.size(fibers),
        Ref.get(closing),
        (n, stopping) => (stopping ? 0 : Math.max(0, maxInFlight - n))
      ),
      size: FiberSet.size(fibers),
      launch: (delivery: Effect.Effect<DeliveryResult>): Effect.Effect<Fiber.RuntimeFiber<DeliveryResult>> =>
        FiberSet.run(fibers, delivery),
      /** Completes once nothing is in flight. */
      idle: FiberSet.awaitEmpty(fibers),
      deliveries
    }
  })
