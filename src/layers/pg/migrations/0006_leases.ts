import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * One leader lease row whose term only ever grows (a fencing token: a projection commits only
 * under the current term), and one lease per node, so a dead node's running jobs are recovered
 * when its lease lapses. The same tables as SQLite's 0006.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE leader_lease (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    node_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    term BIGINT NOT NULL,
    lease_until BIGINT NOT NULL,
    acquired_at BIGINT NOT NULL
  )`
  yield* sql`CREATE TABLE node_leases (
    node_id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    role TEXT NOT NULL,
    lease_until BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
  )`
})
