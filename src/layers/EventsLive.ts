import { Clock, Effect, Layer, Option, PubSub, Queue, Stream } from "effect"
import { type ConductorEvent, type EventInput, Events } from "../services/Events.js"

/** How far one subscriber may fall behind before it is dropped. */
export const SUBSCRIBER_BUFFER = 1000

/**
 * A subscriber's events, a chunk at a time. Finding its buffer full means it fell `buffer`
 * events behind (the sliding buffer is dropping its oldest ones): the stream ends there.
 */
const drained = (queue: Queue.Dequeue<ConductorEvent>, buffer: number): Stream.Stream<ConductorEvent> =>
  Stream.repeatEffectChunkOption(
    Effect.flatMap(
      Queue.size(queue),
      (size) => size >= buffer ? Effect.fail(Option.none()) : Queue.takeBetween(queue, 1, buffer)
    )
  )

/**
 * Publishing stamps the event and hands it to an unbounded inbox without waiting, so `seq`
 * follows call order exactly (an event published while nobody listens only takes its number).
 * One fiber moves the inbox into a sliding `PubSub`, which never blocks: each subscriber has
 * `buffer` places, and one that fills them is ended while everyone else carries on.
 */
export const make = (buffer = SUBSCRIBER_BUFFER) =>
  Effect.gen(function*() {
    const inbox = yield* Effect.acquireRelease(Queue.unbounded<ConductorEvent>(), Queue.shutdown)
    const pubsub = yield* Effect.acquireRelease(PubSub.sliding<ConductorEvent>(buffer), PubSub.shutdown)
    let seq = 0
    // With nobody subscribed (no dashboard or event stream open), an event only takes its `seq`:
    // every job write publishes one, and moving each to no one woke the mover fiber for nothing.
    let subscribers = 0
    // Waits for at least one event, then moves all that queued up meanwhile.
    yield* Queue.takeBetween(inbox, 1, Number.MAX_SAFE_INTEGER).pipe(
      Effect.flatMap((batch) => PubSub.publishAll(pubsub, batch)),
      Effect.forever,
      Effect.forkScoped
    )
    return Events.of({
      publish: (event: EventInput) =>
        subscribers === 0
          ? Effect.sync(() => void ++seq)
          : Effect.flatMap(Clock.currentTimeMillis, (at) =>
            Effect.sync(() => {
              inbox.unsafeOffer({ ...event, seq: ++seq, at })
            })),
      subscribe: Effect.acquireRelease(Effect.sync(() => ++subscribers), () => Effect.sync(() => --subscribers)).pipe(
        Effect.zipRight(PubSub.subscribe(pubsub)),
        Effect.map((queue) => drained(queue, buffer))
      )
    })
  })

export const layer: Layer.Layer<Events> = Layer.scoped(Events, make())
