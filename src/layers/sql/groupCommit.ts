import { SqlClient } from "@effect/sql"
import { Duration, Effect, Exit, identity, Queue, Ref } from "effect"

/** A write and its caller's resumption: the caller hears its write's own exit, once. */
interface Pending<W> {
  readonly write: W
  readonly done: (exit: Effect.Effect<unknown, unknown>) => void
}

/** Carries out one transaction's writes, in order, each with its own outcome. */
export type WriteAll<W> = (
  writes: ReadonlyArray<W>
) => Effect.Effect<ReadonlyArray<Exit.Exit<unknown, unknown>>, unknown>

const eachAlone: WriteAll<Effect.Effect<unknown, unknown>> = (writes) => Effect.forEach(writes, Effect.exit)

/**
 * Group commit: writes submitted while a transaction is being written wait and go together in
 * the next one, so many jobs' outcomes cost one commit. Each write is its own statement inside
 * the transaction (one failing does not undo the others); its caller hears of it only after the
 * transaction committed. Closing the scope before a commit rolls it back and interrupts its
 * callers: nothing is reported done that is not on disk. `window` (default none) holds each
 * transaction open for more writes to arrive.
 */
export const make = (window: Duration.DurationInput = Duration.zero) =>
  Effect.map(
    makeWith(eachAlone, { window }),
    (commit) => <A, E>(write: Effect.Effect<A, E>): Effect.Effect<A, E> => commit(write) as Effect.Effect<A, E>
  )

/**
 * The same with writes as data that `writeAll` carries out together, e.g. as one statement
 * where a database round trip per write would cost more than the commit. With `atomic: false`
 * no transaction wraps them: each of `writeAll`'s statements commits on its own (where one
 * statement carries many writes, BEGIN and COMMIT would only add round trips), and a caller
 * still hears only after the statement holding its write committed.
 */
export const makeWith = <W>(
  writeAll: WriteAll<W>,
  options: { readonly window?: Duration.DurationInput | undefined; readonly atomic?: boolean } = {}
) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const queue = yield* Queue.unbounded<Pending<W>>()
    const current = yield* Ref.make<ReadonlyArray<Pending<W>>>([])
    const window = options.window ?? Duration.zero
    const wait = Duration.toMillis(window) > 0 ? Effect.sleep(window) : Effect.yieldNow()
    const transaction = options.atomic === false ? identity : sql.withTransaction

    const settle = (batch: ReadonlyArray<Pending<W>>, exits: ReadonlyArray<Exit.Exit<unknown, unknown>>) =>
      Effect.sync(() => batch.forEach((p, i) => p.done(exits[i]!)))

    const commitNext = Effect.gen(function*() {
      // A taken write is always in `current`, so closing can never lose its caller.
      const first = yield* Effect.uninterruptibleMask((restore) =>
        restore(Queue.take(queue)).pipe(Effect.tap((p) => Ref.set(current, [p])))
      )
      yield* wait
      const batch = yield* Effect.uninterruptible(
        Queue.takeAll(queue).pipe(
          Effect.map((rest) => [first, ...rest]),
          Effect.tap((all) => Ref.set(current, all))
        )
      )
      const written = yield* Effect.exit(
        transaction(writeAll(batch.map((p) => p.write)))
      )
      yield* Exit.match(written, {
        onSuccess: (exits) => settle(batch, exits),
        onFailure: (cause) => settle(batch, batch.map(() => Exit.failCause(cause)))
      })
      yield* Ref.set(current, [])
    })

    // Writes not committed when the store closes are reported interrupted, never done.
    yield* Effect.addFinalizer(() =>
      Effect.gen(function*() {
        const left = [...(yield* Ref.get(current)), ...(yield* Queue.takeAll(queue))]
        // A write offered after this is interrupted at once.
        yield* Queue.shutdown(queue)
        yield* Effect.sync(() => left.forEach((p) => p.done(Effect.interrupt)))
      })
    )
    // Forked after the finalizer, so closing stops it (rolling back) before its callers hear.
    yield* Effect.forkScoped(Effect.forever(commitNext))

    // The caller waits on its own resumption rather than a Deferred, queued without an effect
    // of its own: a Deferred and an offer per outcome were most of the work a delivered job
    // cost here. A caller interrupted meanwhile is not resumed again (its write still goes).
    return (write: W): Effect.Effect<unknown, unknown> =>
      Effect.async<unknown, unknown>((done) => {
        if (!queue.unsafeOffer({ write, done })) done(Effect.interrupt)
      })
  })
