import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import type { Statement } from "@effect/sql/Statement"
import { Context, Effect, Option } from "effect"

/**
 * Runs `statement` on the connection the current transaction holds: compiled by the client's
 * own compiler and handed to that connection, without the span, scope and connection lock a
 * statement otherwise takes on each run (about 60 of the runtime's steps, where the connection
 * call takes 12). The transaction already holds the connection, so the lock is moot. Outside
 * a transaction the statement runs as it is.
 */
export const held = <A extends object>(statement: Statement<A>): Effect.Effect<ReadonlyArray<A>, SqlError> =>
  Effect.contextWithEffect((context: Context.Context<never>) => {
    const transaction = Context.getOption(
      context as Context.Context<SqlClient.TransactionConnection>,
      SqlClient.TransactionConnection
    )
    if (Option.isNone(transaction)) return statement
    const [text, params] = statement.compile()
    return transaction.value[0].execute(text, params, undefined) as Effect.Effect<ReadonlyArray<A>, SqlError>
  })
