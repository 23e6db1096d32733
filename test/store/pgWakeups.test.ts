import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Fiber, Layer, Redacted } from "effect"
import * as PgArtifactStore from "../../src/layers/pg/PgArtifactStore.js"
import * as PgWakeups from "../../src/layers/pg/PgWakeups.js"
import { DISPATCHER, Wakeups } from "../../src/services/Wakeups.js"
import { storeBackends } from "../support/storeBackends.js"

const postgres = storeBackends.find((b) => b.name === "postgres")

/** A node's wake-ups on the shared server, as the daemon builds them. */
const node = (url: string) =>
  Layer.build(PgWakeups.layer.pipe(Layer.provide(PgArtifactStore.client({ url: Redacted.make(url) })), Layer.orDie))
    .pipe(
      Effect.map((ctx) => Context.get(ctx, Wakeups))
    )

describe.skipIf(postgres === undefined)("wake-ups across nodes (postgres)", () => {
  it.live("a wake on one node wakes that runner on the others, not a different runner", () =>
    Effect.gen(function*() {
      const url = postgres!.url!
      const a = yield* node(url)
      const b = yield* node(url)
      const c = yield* node(url)
      // LISTEN is set up in the background; wake until the first one lands.
      const onB = yield* Effect.fork(b.take(DISPATCHER))
      const onC = yield* Effect.fork(c.take(DISPATCHER))
      const other = yield* Effect.fork(b.take("renewal.projector"))
      yield* a.wake(DISPATCHER).pipe(
        Effect.zipRight(Effect.sleep("50 millis")),
        Effect.repeat({ until: () => false }),
        Effect.fork
      )
      yield* Fiber.join(onB).pipe(Effect.timeout("10 seconds"))
      yield* Fiber.join(onC).pipe(Effect.timeout("10 seconds"))
      expect(yield* Fiber.poll(other)).toMatchObject({ _tag: "None" })
    }).pipe(Effect.scoped))
})
