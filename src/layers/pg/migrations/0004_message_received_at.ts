import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * When the daemon stored each message, as in SQLite's 0004: a browser whose clock runs ahead
 * reports an `observed_at` in the future, and settling on it would hold the projector. Older
 * rows keep NULL and settle on `observed_at` as before.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE messages ADD COLUMN received_at BIGINT`
})
