import { Effect, Fiber } from "effect"

/**
 * The first of two effects to finish, the other interrupted without waiting for it to end.
 * `Effect.raceFirst` and `Effect.timeout` wait for the loser: a woken tick would start, and an
 * answered delivery resume, only after a sleeping timer fiber had run its interruption, more
 * trips through the scheduler on every reply's path (the losers here are a sleep, a queue take
 * or a wait on an answer, with nothing to finish).
 */
export const firstOf = <A1, E1, A2, E2>(
  left: Effect.Effect<A1, E1>,
  right: Effect.Effect<A2, E2>
): Effect.Effect<A1 | A2, E1 | E2> =>
  Effect.raceWith(left, right, {
    onSelfDone: (exit, other) => Effect.zipRight(Fiber.interruptFork(other), exit),
    onOtherDone: (exit, other) => Effect.zipRight(Fiber.interruptFork(other), exit)
  })
