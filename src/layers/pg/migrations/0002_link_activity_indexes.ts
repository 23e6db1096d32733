import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Inactive links pile up behind the newest, active ones, so an `is_active` filter read in
 * plain `observed_at` order would skip every active link first. These keep it in list order.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX conversation_links_active_observed
    ON conversation_links (is_active, observed_at, link_id)`
  yield* sql`CREATE INDEX conversation_links_client_active_observed
    ON conversation_links (client_id, is_active, observed_at, link_id)`
  yield* sql`CREATE INDEX conversation_links_platform_active_observed
    ON conversation_links (platform, is_active, observed_at, link_id)`
})
