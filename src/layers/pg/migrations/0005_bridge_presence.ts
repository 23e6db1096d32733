import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Which daemon holds which browser client, under a lease each holder renews: a claim skips the
 * jobs whose conversation's active link belongs to a client another live daemon holds, so a job
 * goes to the daemon that can deliver it. One row per client: the latest holder wins.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE bridge_presence (
    client_id TEXT PRIMARY KEY,
    node_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    lease_until BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  )`
  yield* sql`CREATE INDEX bridge_presence_node ON bridge_presence (node_id)`
})
