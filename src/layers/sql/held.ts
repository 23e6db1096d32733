import { SqlClient } from "@effect/sql"
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import type { Statement } from "@effect/sql/Statement"
import { Context, Effect, Exit, Option } from "effect"

/** `statement` compiled by its client's compiler and handed to `connection` as it is. */
const runOn = <A extends object>(connection: Connection, statement: Statement<A>) => {
  const [text, params] = statement.compile()
  return connection.execute(text, params, undefined) as Effect.Effect<ReadonlyArray<A>, SqlError>
}

const transactionOf = (context: Context.Context<never>) =>
  Context.getOption(context as Context.Context<SqlClient.TransactionConnection>, SqlClient.TransactionConnection)

/** Runs a statement on the current transaction's connection, else on `outside`, else as it runs by itself. */
const runner =
  (outside: Option.Option<Connection>) =>
  <A extends object>(statement: Statement<A>): Effect.Effect<ReadonlyArray<A>, SqlError> =>
    Effect.contextWithEffect((context: Context.Context<never>) => {
      const transaction = transactionOf(context)
      if (Option.isSome(transaction)) return runOn(transaction.value[0], statement)
      return Option.isSome(outside) ? runOn(outside.value, statement) : statement
    })

/**
 * Runs `statement` on the connection the current transaction holds: compiled by the client's
 * own compiler and handed to that connection, without the span, scope and connection lock a
 * statement otherwise takes on each run (about 60 of the runtime's steps, where the connection
 * call takes 12). The transaction already holds the connection, so the lock is moot. Outside
 * a transaction the statement runs as it is.
 */
export const held = runner(Option.none())

/**
 * A connection of the store's own for reads outside transactions: on SQLite a second, read-only
 * connection to the same file, which WAL lets read while the other writes. Each statement on it
 * runs in one synchronous call, so fibers share it without a lock.
 */
export class ReadConnection extends Context.Tag("baa-conductor/ReadConnection")<ReadConnection, Connection>() {}

/**
 * How a store module runs a read: inside a transaction on the transaction's connection (it must
 * see the transaction's writes), otherwise on the store's read connection when it has one (a
 * read outside a transaction sees what is committed, there as on the writer), otherwise as the
 * statement runs by itself. Taken once, when the module is built.
 */
export const reader = Effect.map(Effect.serviceOption(ReadConnection), runner)

/**
 * `sql.withTransaction` for a store's own transactions, in fewer steps: the connection is
 * reserved, `BEGIN` and `COMMIT` (or `ROLLBACK` on failure or interruption) go to it as
 * prepared statements, and the body runs with it as the transaction's connection, so `held`
 * and `reader` statements and any nested `sql.withTransaction` (a savepoint) use it. Inside a
 * transaction already, it is the client's own nesting.
 */
export const transaction =
  (sql: SqlClient.SqlClient) => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | SqlError, R> =>
    Effect.contextWithEffect((context: Context.Context<never>) =>
      Option.isSome(transactionOf(context))
        ? sql.withTransaction(self)
        : Effect.uninterruptibleMask((restore) =>
          Effect.scoped(
            Effect.flatMap(sql.reserve, (connection) =>
              connection.execute("BEGIN", [], undefined).pipe(
                Effect.zipRight(
                  Effect.exit(restore(Effect.provideService(self, SqlClient.TransactionConnection, [connection, 0])))
                ),
                Effect.flatMap((exit) =>
                  Effect.zipRight(
                    Effect.orDie(connection.execute(Exit.isSuccess(exit) ? "COMMIT" : "ROLLBACK", [], undefined)),
                    exit
                  )
                )
              ))
          )
        )
    )
