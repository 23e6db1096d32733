import { Clock, Effect, Fiber, Layer, Queue, SynchronizedRef } from "effect"
import { Wakeups } from "../services/Wakeups.js"

interface Timer {
  readonly at: number
  readonly fiber: Fiber.RuntimeFiber<void>
}

/**
 * One sliding queue of capacity 1 per runner: a wake while nobody waits is kept, and any
 * number of such wakes collapse into one, so a burst of events costs one extra tick at most.
 * Timed wakes are one sleeping fiber per runner in the layer's scope, re-armed only when an
 * earlier time is asked for; closing the layer leaves no timer behind.
 */
export const make = Effect.gen(function*() {
  const queues = yield* SynchronizedRef.make(new Map<string, Queue.Queue<void>>())
  const timers = yield* SynchronizedRef.make(new Map<string, Timer>())
  const scope = yield* Effect.scope

  // Read without the ref's lock once the queue exists: every finished delivery wakes the
  // dispatcher, and a lock taken by each of them would wake all the others on release.
  const queueFor = (runner: string): Effect.Effect<Queue.Queue<void>> =>
    Effect.flatMap(SynchronizedRef.get(queues), (map) => {
      const existing = map.get(runner)
      return existing !== undefined ? Effect.succeed(existing) : createQueue(runner)
    })

  const createQueue = (runner: string): Effect.Effect<Queue.Queue<void>> =>
    SynchronizedRef.modifyEffect(queues, (map) => {
      const existing = map.get(runner)
      if (existing !== undefined) return Effect.succeed([existing, map] as const)
      return Queue.sliding<void>(1).pipe(Effect.map((queue) => [queue, new Map(map).set(runner, queue)] as const))
    })

  const wake = (runner: string) =>
    queueFor(runner).pipe(Effect.flatMap((queue) => Queue.offer(queue, undefined)), Effect.asVoid)

  const wakeAt = (runner: string, at: number) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      at <= now
        ? wake(runner)
        : SynchronizedRef.updateEffect(timers, (map) => {
          const current = map.get(runner)
          if (current !== undefined && current.at <= at && current.fiber.unsafePoll() === null) {
            return Effect.succeed(map)
          }
          // Callers may be uninterruptible (a job's writes); the timer must stay cancellable.
          const fire = Effect.interruptible(Effect.sleep(at - now).pipe(Effect.zipRight(wake(runner))))
          return Effect.gen(function*() {
            if (current !== undefined) yield* Fiber.interruptFork(current.fiber)
            const fiber = yield* Effect.forkIn(fire, scope)
            return new Map(map).set(runner, { at, fiber })
          })
        }))

  return Wakeups.of({
    wake,
    wakeAt,
    take: (runner) => queueFor(runner).pipe(Effect.flatMap(Queue.take)),
    clear: (runner) => queueFor(runner).pipe(Effect.flatMap(Queue.takeAll), Effect.asVoid)
  })
})

export const layer: Layer.Layer<Wakeups> = Layer.scoped(Wakeups, make)
