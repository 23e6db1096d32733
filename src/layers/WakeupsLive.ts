import { Effect, Layer, Queue, SynchronizedRef } from "effect"
import { Wakeups } from "../services/Wakeups.js"

/**
 * One sliding queue of capacity 1 per runner: a wake while nobody waits is kept, and any
 * number of such wakes collapse into one, so a burst of events costs one extra tick at most.
 */
export const make = Effect.gen(function* () {
  const queues = yield* SynchronizedRef.make(new Map<string, Queue.Queue<void>>())

  const queueFor = (runner: string): Effect.Effect<Queue.Queue<void>> =>
    SynchronizedRef.modifyEffect(queues, (map) => {
      const existing = map.get(runner)
      if (existing !== undefined) return Effect.succeed([existing, map] as const)
      return Queue.sliding<void>(1).pipe(Effect.map((queue) => [queue, new Map(map).set(runner, queue)] as const))
    })

  return Wakeups.of({
    wake: (runner) => queueFor(runner).pipe(Effect.flatMap((queue) => Queue.offer(queue, undefined)), Effect.asVoid),
    take: (runner) => queueFor(runner).pipe(Effect.flatMap(Queue.take))
  })
})

export const layer: Layer.Layer<Wakeups> = Layer.effect(Wakeups, make)
