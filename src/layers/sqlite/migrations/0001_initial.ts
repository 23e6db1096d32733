import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * The first schema. Every index exists so that each query the daemon runs reads rows in
 * proportion to the page or batch it returns, however much history the tables hold.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // `seq` is the projector's cursor: AUTOINCREMENT never reuses a value, even after deletes.
  yield* sql`CREATE TABLE messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    platform TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('assistant', 'user', 'system')),
    raw_text TEXT NOT NULL,
    observed_at INTEGER NOT NULL
  )`

  yield* sql`CREATE TABLE local_conversations (
    local_conversation_id TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    remote_conversation_id TEXT NOT NULL,
    automation_status TEXT NOT NULL CHECK (automation_status IN ('manual', 'auto', 'paused')),
    paused_at INTEGER,
    last_message_id TEXT,
    last_message_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (platform, remote_conversation_id)
  )`
  yield* sql`CREATE INDEX local_conversations_updated
    ON local_conversations (updated_at, local_conversation_id)`
  yield* sql`CREATE INDEX local_conversations_status_updated
    ON local_conversations (automation_status, updated_at, local_conversation_id)`
  yield* sql`CREATE INDEX local_conversations_platform_updated
    ON local_conversations (platform, updated_at, local_conversation_id)`

  yield* sql`CREATE TABLE conversation_links (
    link_id TEXT PRIMARY KEY,
    local_conversation_id TEXT NOT NULL REFERENCES local_conversations (local_conversation_id),
    platform TEXT NOT NULL,
    remote_conversation_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    page_url TEXT,
    page_title TEXT,
    route_path TEXT,
    route_pattern TEXT,
    route_params TEXT,
    target_kind TEXT NOT NULL,
    target_id TEXT,
    target_payload TEXT,
    is_active INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    observed_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (platform, remote_conversation_id, client_id)
  )`
  yield* sql`CREATE INDEX conversation_links_conversation_active
    ON conversation_links (local_conversation_id, is_active)`
  yield* sql`CREATE INDEX conversation_links_client_target
    ON conversation_links (client_id, target_id)`
  yield* sql`CREATE INDEX conversation_links_observed
    ON conversation_links (observed_at, link_id)`
  yield* sql`CREATE INDEX conversation_links_remote
    ON conversation_links (remote_conversation_id)`
  yield* sql`CREATE INDEX conversation_links_client_observed
    ON conversation_links (client_id, observed_at, link_id)`
  yield* sql`CREATE INDEX conversation_links_platform_observed
    ON conversation_links (platform, observed_at, link_id)`

  // claimed_*: which node and which run of the daemon holds a running job, for crash recovery.
  yield* sql`CREATE TABLE renewal_jobs (
    job_id TEXT PRIMARY KEY,
    local_conversation_id TEXT NOT NULL REFERENCES local_conversations (local_conversation_id),
    message_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
    payload_kind TEXT NOT NULL CHECK (payload_kind IN ('text', 'json')),
    payload TEXT NOT NULL,
    target_snapshot TEXT,
    attempt_count INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    next_attempt_at INTEGER,
    last_attempt_at INTEGER,
    last_error TEXT,
    log_path TEXT,
    started_at INTEGER,
    finished_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    claimed_by_node TEXT,
    claimed_run TEXT,
    claimed_at INTEGER
  )`
  // Partial indexes hold only live jobs, so finished history costs the claim nothing.
  yield* sql`CREATE INDEX renewal_jobs_pending_due
    ON renewal_jobs (next_attempt_at, job_id) WHERE status = 'pending'`
  yield* sql`CREATE INDEX renewal_jobs_running_claimed
    ON renewal_jobs (claimed_at) WHERE status = 'running'`
  yield* sql`CREATE INDEX renewal_jobs_conversation_status
    ON renewal_jobs (local_conversation_id, status, next_attempt_at, job_id)`
  yield* sql`CREATE INDEX renewal_jobs_conversation_created
    ON renewal_jobs (local_conversation_id, created_at, job_id)`
  yield* sql`CREATE INDEX renewal_jobs_created
    ON renewal_jobs (created_at, job_id)`
  yield* sql`CREATE INDEX renewal_jobs_status_created
    ON renewal_jobs (status, created_at, job_id)`

  // Small durable values: the projector cursor, the system automation state.
  yield* sql`CREATE TABLE store_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  )`
})
