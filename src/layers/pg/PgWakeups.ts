import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Schedule, Stream } from "effect"
import { sortableId } from "../../domain/index.js"
import { Wakeups } from "../../services/Wakeups.js"
import * as WakeupsLive from "../WakeupsLive.js"

/** One channel per database: every node of the database listens on it. */
export const CHANNEL = "baa_conductor_wakeups"

const parse = (payload: string) => {
  const at = payload.indexOf(" ")
  return at < 0 ? undefined : { origin: payload.slice(0, at), runner: payload.slice(at + 1) }
}

/**
 * Wake-ups that reach every node on the database: a wake is signalled here at once and sent
 * with `pg_notify`, and each other node's listener wakes its own runner, so a job made due on
 * one node is claimed by whichever node is free without waiting for its next tick. A lost
 * notification costs only that: the periodic tick still runs.
 */
export const layer: Layer.Layer<Wakeups, never, PgClient.PgClient> = Layer.scoped(
  Wakeups,
  Effect.gen(function*() {
    const local = yield* WakeupsLive.make
    const pg = yield* PgClient.PgClient
    const origin = yield* sortableId("wake_")

    yield* pg.listen(CHANNEL).pipe(
      Stream.runForEach((payload) => {
        const wake = parse(payload)
        return wake === undefined || wake.origin === origin ? Effect.void : local.wake(wake.runner)
      }),
      Effect.tapError((error) => Effect.logWarning("listening for wake-ups failed; retrying", error)),
      Effect.retry(Schedule.spaced("1 second")),
      Effect.forkScoped
    )

    const broadcast = (runner: string) =>
      pg`SELECT pg_notify(${CHANNEL}, ${`${origin} ${runner}`})`.pipe(
        Effect.catchAll((error) => Effect.logWarning("sending a wake-up to other nodes failed", error)),
        Effect.asVoid
      )

    return Wakeups.of({
      wake: (runner) => local.wake(runner).pipe(Effect.zipRight(broadcast(runner))),
      // Timed wakes stay local: every node probes the shared jobs for its own next due time.
      wakeAt: local.wakeAt,
      take: local.take,
      clear: local.clear
    })
  })
)
