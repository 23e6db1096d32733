import { SqlClient } from "@effect/sql"
import { Duration, Effect } from "effect"
import type { SeqFence } from "../sql/messages.js"

// One advisory lock key for the messages' `seq` ("baaseq" in ASCII): any constant no other lock uses.
const KEY = 0x626161736571

/**
 * An identity column hands out `seq` at insert, not at commit: with several daemons ingesting
 * at once a later `seq` can commit while an earlier one is still open, and a projector reading
 * `seq > cursor` would pass the late one for good. So every message insert holds a shared
 * advisory lock until its transaction ends (inserts never wait for each other), and the
 * projector's read takes the lock exclusively: it waits for the inserts in progress to commit
 * or roll back, and sees every `seq` below the highest it reads.
 *
 * A daemon frozen or cut off while it holds the lock would hold every other node's inserts (or
 * the projector) with it, for as long as its connection lives. So each of these transactions
 * tells the server to end its session once it has waited on the daemon for `stallAfter`
 * (`idle_in_transaction_session_timeout`, set in the lock's own statement): the lock is freed,
 * and the stalled daemon finds its transaction gone when it wakes.
 */
export const STALL_AFTER = Duration.seconds(5)

export const make = (stallAfter: Duration.DurationInput = STALL_AFTER) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const ms = String(Math.max(1, Math.round(Duration.toMillis(stallAfter))))
    const fenced = (lock: "pg_advisory_xact_lock_shared" | "pg_advisory_xact_lock") =>
    <A, E, R>(
      self: Effect.Effect<A, E, R>
    ) =>
      sql.withTransaction(Effect.zipRight(
        sql`SELECT set_config('idle_in_transaction_session_timeout', ${ms}, true), ${sql.literal(lock)}(${KEY})`,
        self
      ))
    const fence: SeqFence = { insert: fenced("pg_advisory_xact_lock_shared"), read: fenced("pg_advisory_xact_lock") }
    return fence
  })
