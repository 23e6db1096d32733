import * as Migrator from "@effect/sql/Migrator"
import initial from "./0001_initial.js"
import linkActivityIndexes from "./0002_link_activity_indexes.js"
import messageDecisions from "./0003_message_decisions.js"
import messageReceivedAt from "./0004_message_received_at.js"
import bridgePresence from "./0005_bridge_presence.js"
import leases from "./0006_leases.js"

/**
 * PostgreSQL's own numbered migrations, one for each SQLite one with the same name and effect
 * (and 0005 for what only several daemons need),
 * applied once each, in order, at start-up (the migrator locks its table, so nodes starting
 * together apply each once). Never edit one that shipped: add the next.
 */
export const loader = Migrator.fromRecord({
  "0001_initial": initial,
  "0002_link_activity_indexes": linkActivityIndexes,
  "0003_message_decisions": messageDecisions,
  "0004_message_received_at": messageReceivedAt,
  "0005_bridge_presence": bridgePresence,
  "0006_leases": leases
})
