import * as Migrator from "@effect/sql/Migrator"
import initial from "./0001_initial.js"
import linkActivityIndexes from "./0002_link_activity_indexes.js"
import messageDecisions from "./0003_message_decisions.js"
import messageReceivedAt from "./0004_message_received_at.js"
import jobStatusCounts from "./0005_job_status_counts.js"

/** Numbered migrations, applied once each, in order, at start-up. Never edit one that shipped: add the next. */
export const loader = Migrator.fromRecord({
  "0001_initial": initial,
  "0002_link_activity_indexes": linkActivityIndexes,
  "0003_message_decisions": messageDecisions,
  "0004_message_received_at": messageReceivedAt,
  "0005_job_status_counts": jobStatusCounts
})
