import { Effect, type Fiber, FiberSet } from "effect"
import type { JobResult } from "./attempt.js"

export type DeliveryResult = JobResult | "errored"

/**
 * The deliveries in flight, each its own fiber in the dispatcher's scope: a slow or silent one
 * holds only its own slot. Closing the scope interrupts what is left; a delivery cut short
 * leaves its job `running` for recovery.
 */
export const make = (maxInFlight: number) =>
  Effect.gen(function*() {
    const fibers = yield* FiberSet.make<DeliveryResult>()
    return {
      /** Free slots now; ticks never overlap, so only deliveries finishing can change it meanwhile. */
      capacity: Effect.map(FiberSet.size(fibers), (n) => Math.max(0, maxInFlight - n)),
      size: FiberSet.size(fibers),
      launch: (delivery: Effect.Effect<DeliveryResult>): Effect.Effect<Fiber.RuntimeFiber<DeliveryResult>> =>
        FiberSet.run(fibers, delivery),
      /** Completes once nothing is in flight. */
      idle: FiberSet.awaitEmpty(fibers)
    }
  })
