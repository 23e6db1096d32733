import { Clock, Effect, Layer, Option, PubSub, Queue, Stream } from "effect"
import { type ConductorEvent, type EventInput, Events } from "../services/Events.js"

/** How far one subscriber may fall behind before it is dropped. */
export const SUBSCRIBER_BUFFER = 1000

/** Ends a subscriber's stream at the first gap in `seq`: it fell behind and lost events. */
const untilGap = (events: Stream.Stream<ConductorEvent>): Stream.Stream<ConductorEvent> =>
  events.pipe(
    Stream.mapAccum(-1, (last, event) =>
      [event.seq, last === -1 || event.seq === last + 1 ? Option.some(event) : Option.none<ConductorEvent>()] as const
    ),
    Stream.takeWhile(Option.isSome),
    Stream.map((event) => event.value)
  )

/**
 * Publishing stamps the event and hands it to an unbounded inbox without waiting, so `seq`
 * follows call order exactly. One fiber moves the inbox into a sliding `PubSub`: it never
 * blocks, and a subscriber more than `buffer` events behind loses the oldest ones, sees the gap
 * and ends, while everyone else carries on.
 */
export const make = (buffer = SUBSCRIBER_BUFFER) =>
  Effect.gen(function* () {
    const inbox = yield* Effect.acquireRelease(Queue.unbounded<ConductorEvent>(), Queue.shutdown)
    const pubsub = yield* Effect.acquireRelease(PubSub.sliding<ConductorEvent>(buffer), PubSub.shutdown)
    let seq = 0
    // Waits for at least one event, then moves all that queued up meanwhile.
    yield* Queue.takeBetween(inbox, 1, Number.MAX_SAFE_INTEGER).pipe(
      Effect.flatMap((batch) => PubSub.publishAll(pubsub, batch)),
      Effect.forever,
      Effect.forkScoped
    )
    return Events.of({
      publish: (event: EventInput) =>
        Effect.flatMap(Clock.currentTimeMillis, (at) =>
          Effect.sync(() => {
            inbox.unsafeOffer({ ...event, seq: ++seq, at })
          })),
      subscribe: Effect.map(PubSub.subscribe(pubsub), (queue) => untilGap(Stream.fromQueue(queue)))
    })
  })

export const layer: Layer.Layer<Events> = Layer.scoped(Events, make())
