import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * The projector's decision kept with each message, so "why was this reply not renewed" is a
 * query. Messages written before this migration read as `undecided`. The indexes serve the
 * message list's filters in `seq` order, and its `total` from the same index.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE messages ADD COLUMN decision TEXT NOT NULL DEFAULT 'undecided'
    CHECK (decision IN ('undecided', 'job_created', 'skipped'))`
  yield* sql`ALTER TABLE messages ADD COLUMN skip_reason TEXT`
  yield* sql`ALTER TABLE messages ADD COLUMN job_id TEXT`
  yield* sql`ALTER TABLE messages ADD COLUMN decided_at INTEGER`
  yield* sql`CREATE INDEX messages_decision_seq ON messages (decision, seq)`
  yield* sql`CREATE INDEX messages_platform_seq ON messages (platform, seq)`
  yield* sql`CREATE INDEX messages_platform_decision_seq ON messages (platform, decision, seq)`
  yield* sql`CREATE INDEX messages_conversation_decision_seq ON messages (platform, conversation_id, decision, seq)`
})
