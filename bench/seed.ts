import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Set-based seeding: every table is filled by one `INSERT … SELECT` over a recursive counter,
 * so a million rows cost seconds, not a million round trips. Rows look like the daemon's own
 * (same id shapes, JSON payloads and snapshots that decode with the domain schemas).
 */

export const EPOCH = 1_700_000_000_000
/** History is stamped before this; due jobs after it, so they sort as the newest. */
export const HISTORY_END = EPOCH + 100_000_000

const PLATFORM = `CASE i % 3 WHEN 0 THEN 'chatgpt' WHEN 1 THEN 'claude' ELSE 'gemini' END`

const snapshot = (conversation: string) =>
  `json_object(
  'link_id', 'link-' || ${conversation},
  'platform', 'chatgpt',
  'client_id', 'client-' || (${conversation} % 5),
  'page_url', 'https://chatgpt.com/c/conv-' || ${conversation},
  'page_title', NULL,
  'route', json_object('path', '/c/conv-' || ${conversation}, 'pattern', '/c/:conversationId',
    'params', json_object('conversationId', 'conv-' || ${conversation})),
  'target', json_object('kind', 'browser.proxy_delivery', 'id', 'tab:' || (${conversation} + 1),
    'payload', json_object('tab_id', ${conversation} + 1)))`

/** `count` conversations, each with an active link and an older inactive one from another client. */
export const conversations = (count: number) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${count})
      INSERT INTO local_conversations
        (local_conversation_id, platform, remote_conversation_id, automation_status, paused_at,
         last_message_id, last_message_at, created_at, updated_at)
      SELECT 'lc-' || i, ${PLATFORM}, 'conv-' || i,
        CASE i % 10 WHEN 0 THEN 'paused' WHEN 1 THEN 'manual' ELSE 'auto' END,
        CASE i % 10 WHEN 0 THEN ${EPOCH} + i ELSE NULL END,
        'msg-' || i, ${EPOCH} + i, ${EPOCH} + i, ${EPOCH} + i
      FROM n`)
    for (const [suffix, active, age] of [["old", 0, 0], ["", 1, 1_000_000]] as const) {
      yield* sql.unsafe(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${count})
        INSERT INTO conversation_links
          (link_id, local_conversation_id, platform, remote_conversation_id, client_id, page_url, page_title,
           route_path, route_pattern, route_params, target_kind, target_id, target_payload, is_active,
           observed_at, created_at, updated_at)
        SELECT 'link-${suffix}' || i, 'lc-' || i, ${PLATFORM}, 'conv-' || i, 'client-${suffix}' || (i % 5),
          'https://chatgpt.com/c/conv-' || i, 'A chat', '/c/conv-' || i, '/c/:conversationId',
          json_object('conversationId', 'conv-' || i), 'browser.proxy_delivery', 'tab:' || (i + 1),
          json_object('client_id', 'client-${suffix}' || (i % 5), 'conversation_id', 'conv-' || i,
            'page_url', 'https://chatgpt.com/c/conv-' || i, 'tab_id', i + 1),
          ${active}, ${EPOCH} + ${age} + i, ${EPOCH} + ${age} + i, ${EPOCH} + ${age} + i
        FROM n`)
    }
  })

/** `count` assistant messages spread over `spread` conversations, each renewed by a `done` job. */
export const history = (count: number, spread: number) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const counter = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${count})`
    yield* sql.unsafe(`${counter}
      INSERT INTO messages (id, platform, conversation_id, role, raw_text, observed_at)
      SELECT 'msg-' || i, 'chatgpt', 'conv-' || (i % ${spread}), 'assistant',
        'Here is reply number ' || i || ', long enough to look like a real answer from the model.',
        ${EPOCH} + i * 10
      FROM n`)
    yield* sql.unsafe(`${counter}
      INSERT INTO renewal_jobs
        (job_id, local_conversation_id, message_id, status, payload_kind, payload, target_snapshot,
         attempt_count, max_attempts, next_attempt_at, last_attempt_at, last_error, log_path,
         started_at, finished_at, created_at, updated_at)
      SELECT printf('job_hist_%08d', i), 'lc-' || (i % ${spread}), 'msg-' || i, 'done', 'json',
        json_object('kind', 'renewal.message', 'version', 1, 'template', 'summary_with_link',
          'text', '[renewal] Here is reply number ' || i || char(10) || 'https://chatgpt.com/c/conv-' || (i % ${spread}),
          'source_message', json_object('id', 'msg-' || i, 'platform', 'chatgpt',
            'conversation_id', 'conv-' || (i % ${spread}), 'observed_at', ${EPOCH} + i * 10)),
        ${snapshot(`(i % ${spread})`)},
        1, 3, NULL, ${EPOCH} + i * 10 + 5, NULL, 'logs/timed-jobs/2023-11-14.jsonl',
        ${EPOCH} + i * 10 + 5, ${EPOCH} + i * 10 + 6, ${EPOCH} + i * 10 + 1, ${EPOCH} + i * 10 + 6
      FROM n`)
  })

/** `count` pending jobs, all due, one in each of the first `count` conversations. */
export const dueJobs = (count: number) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${count})
      INSERT INTO renewal_jobs
        (job_id, local_conversation_id, message_id, status, payload_kind, payload, target_snapshot,
         attempt_count, max_attempts, next_attempt_at, last_attempt_at, last_error, log_path,
         started_at, finished_at, created_at, updated_at)
      SELECT printf('job_due_%08d', i), 'lc-' || i, 'due-msg-' || i, 'pending', 'text',
        '[renewal] a reply' || char(10) || 'https://chatgpt.com/c/conv-' || i, ${snapshot("i")},
        0, 3, ${HISTORY_END} + i, NULL, NULL, NULL, NULL, NULL, ${HISTORY_END} + i, ${HISTORY_END} + i
      FROM n`)
  })
