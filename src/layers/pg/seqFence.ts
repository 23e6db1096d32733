import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import type { SeqFence } from "../sqlite/messages.js"

// One advisory lock key for the messages' `seq` ("baaseq" in ASCII): any constant no other lock uses.
const KEY = 0x626161736571

/**
 * An identity column hands out `seq` at insert, not at commit: with several daemons ingesting
 * at once a later `seq` can commit while an earlier one is still open, and a projector reading
 * `seq > cursor` would pass the late one for good. So every message insert holds a shared
 * advisory lock until its transaction ends (inserts never wait for each other), and the
 * projector's read takes the lock exclusively: it waits for the inserts in progress to commit
 * or roll back, and sees every `seq` below the highest it reads.
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const fence: SeqFence = {
    insert: (self) => sql.withTransaction(Effect.zipRight(sql`SELECT pg_advisory_xact_lock_shared(${KEY})`, self)),
    read: (self) => sql.withTransaction(Effect.zipRight(sql`SELECT pg_advisory_xact_lock(${KEY})`, self))
  }
  return fence
})
