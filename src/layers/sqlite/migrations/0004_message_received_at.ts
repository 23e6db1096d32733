import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * When the daemon stored each message. A browser whose clock runs ahead reports an
 * `observed_at` in the future; settling on it would hold the projector, and every conversation
 * behind that message, until then. Older rows keep NULL and settle on `observed_at` as before.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE messages ADD COLUMN received_at INTEGER`
})
