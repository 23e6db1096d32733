import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * The leader lease (its term is the fencing token a projection commits under) and one lease per
 * node. One daemon uses a SQLite file, and it simply leads; the tables keep the store's contract
 * the same as PostgreSQL's 0006 (numbered alike: 0005 is PostgreSQL's presence table only).
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE leader_lease (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    node_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    term INTEGER NOT NULL,
    lease_until INTEGER NOT NULL,
    acquired_at INTEGER NOT NULL
  )`
  yield* sql`CREATE TABLE node_leases (
    node_id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    role TEXT NOT NULL,
    lease_until INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
  )`
})
