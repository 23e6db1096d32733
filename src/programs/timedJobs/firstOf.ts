import { Effect, Fiber } from "effect"

/**
 * The first of two effects to finish, the other interrupted without waiting for it to end.
 * `Effect.raceFirst` waits for the loser: a wake-up would start its tick only after the
 * interval's sleeping fiber had handled its interruption, two more trips through the scheduler
 * on every reply's path (the loser is a sleep or a queue take, with nothing to finish).
 */
export const firstOf = <A, E>(left: Effect.Effect<A, E>, right: Effect.Effect<A, E>): Effect.Effect<A, E> =>
  Effect.raceWith(left, right, {
    onSelfDone: (exit, other) => Effect.zipRight(Fiber.interruptFork(other), exit),
    onOtherDone: (exit, other) => Effect.zipRight(Fiber.interruptFork(other), exit)
  })
