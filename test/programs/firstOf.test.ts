import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, TestClock } from "effect"
import { firstOf } from "../../src/programs/firstOf.js"

describe("firstOf", () => {
  it.effect("returns the first to finish without waiting for the other to wind down", () =>
    Effect.gen(function*() {
      const release = yield* Deferred.make<void>()
      const interrupted = yield* Deferred.make<void>()
      // A loser whose interruption takes until released: waiting for it would hang here.
      const loser = Effect.never.pipe(
        Effect.onInterrupt(() =>
          Deferred.succeed(interrupted, undefined).pipe(Effect.zipRight(Deferred.await(release)))
        )
      )
      expect(yield* firstOf(loser, Effect.yieldNow().pipe(Effect.as("wake")))).toBe("wake")
      // It is still interrupted.
      yield* Deferred.await(interrupted)
      yield* Deferred.succeed(release, undefined)
    }))

  it.effect("either side may win, and a failure wins like a success", () =>
    Effect.gen(function*() {
      const timer = Effect.sleep("5 seconds").pipe(Effect.as("schedule"))
      const fiber = yield* Effect.fork(firstOf(timer, Effect.never))
      yield* TestClock.adjust("5 seconds")
      expect(yield* Fiber.join(fiber)).toBe("schedule")
      const failed = yield* Effect.exit(firstOf(Effect.never, Effect.fail("boom")))
      expect(failed).toStrictEqual(Exit.fail("boom"))
    }))
})
