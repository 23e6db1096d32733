import { Effect, Queue, SynchronizedRef } from "effect"

/**
 * Sends each runner's wake-ups to the other nodes in the background, one notification at a
 * time per runner: a wake asked for while that runner's notification is on its way is sent
 * once right after it, however many there were. A drain wakes the dispatcher after every
 * delivery; sent one by one, each delivery held its slot for a round trip and a commit of its
 * own, and every other node woke once per job. The waker does not wait for the database.
 */
export const make = (send: (runner: string) => Effect.Effect<void>) =>
  Effect.gen(function*() {
    const scope = yield* Effect.scope
    const pending = yield* SynchronizedRef.make(new Map<string, Queue.Queue<void>>())

    // One sender per runner, started at its first wake; a sliding queue of one coalesces.
    const senderOf = (runner: string) =>
      SynchronizedRef.modifyEffect(pending, (senders) => {
        const known = senders.get(runner)
        if (known !== undefined) return Effect.succeed([known, senders] as const)
        return Queue.sliding<void>(1).pipe(
          Effect.tap((queue) =>
            Queue.take(queue).pipe(Effect.zipRight(send(runner)), Effect.forever, Effect.forkIn(scope))
          ),
          Effect.map((queue) => [queue, new Map(senders).set(runner, queue)] as const)
        )
      })

    return (runner: string): Effect.Effect<void> =>
      senderOf(runner).pipe(Effect.flatMap((queue) => Queue.offer(queue, undefined)), Effect.asVoid)
  })
