import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { EPOCH, HISTORY_END } from "./seed.js"

/**
 * `bench/seed.ts` in PostgreSQL's words: the same rows (ids, JSON payloads, snapshots that
 * decode with the domain schemas), each table filled by one `INSERT … SELECT` over
 * `generate_series`.
 */

const PLATFORM = `CASE i % 3 WHEN 0 THEN 'chatgpt' WHEN 1 THEN 'claude' ELSE 'gemini' END`

const snapshot = (c: string) =>
  `json_build_object(
  'link_id', 'link-' || ${c}, 'platform', 'chatgpt', 'client_id', 'client-' || (${c} % 5),
  'page_url', 'https://chatgpt.com/c/conv-' || ${c}, 'page_title', NULL,
  'route', json_build_object('path', '/c/conv-' || ${c}, 'pattern', '/c/:conversationId',
    'params', json_build_object('conversationId', 'conv-' || ${c})),
  'target', json_build_object('kind', 'browser.proxy_delivery', 'id', 'tab:' || (${c} + 1),
    'payload', json_build_object('tab_id', ${c} + 1)))::text`

const series = (count: number) => `FROM generate_series(0, ${count - 1}) AS i`

export const conversations = (count: number) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(`INSERT INTO local_conversations
        (local_conversation_id, platform, remote_conversation_id, automation_status, paused_at,
         last_message_id, last_message_at, created_at, updated_at)
      SELECT 'lc-' || i, ${PLATFORM}, 'conv-' || i,
        CASE i % 10 WHEN 0 THEN 'paused' WHEN 1 THEN 'manual' ELSE 'auto' END,
        CASE i % 10 WHEN 0 THEN ${EPOCH} + i ELSE NULL END,
        'msg-' || i, ${EPOCH} + i, ${EPOCH} + i, ${EPOCH} + i
      ${series(count)}`)
    for (const [suffix, active, age] of [["old", 0, 0], ["", 1, 1_000_000]] as const) {
      yield* sql.unsafe(`INSERT INTO conversation_links
          (link_id, local_conversation_id, platform, remote_conversation_id, client_id, page_url, page_title,
           route_path, route_pattern, route_params, target_kind, target_id, target_payload, is_active,
           observed_at, created_at, updated_at)
        SELECT 'link-${suffix}' || i, 'lc-' || i, ${PLATFORM}, 'conv-' || i, 'client-${suffix}' || (i % 5),
          'https://chatgpt.com/c/conv-' || i, 'A chat', '/c/conv-' || i, '/c/:conversationId',
          json_build_object('conversationId', 'conv-' || i)::text, 'browser.proxy_delivery', 'tab:' || (i + 1),
          json_build_object('client_id', 'client-${suffix}' || (i % 5), 'conversation_id', 'conv-' || i,
            'page_url', 'https://chatgpt.com/c/conv-' || i, 'tab_id', i + 1)::text,
          ${active}, ${EPOCH} + ${age} + i, ${EPOCH} + ${age} + i, ${EPOCH} + ${age} + i
        ${series(count)}`)
    }
  })

export const history = (count: number, spread: number) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(`INSERT INTO messages (id, platform, conversation_id, role, raw_text, observed_at)
      SELECT 'msg-' || i, 'chatgpt', 'conv-' || (i % ${spread}), 'assistant',
        'Here is reply number ' || i || ', long enough to look like a real answer from the model.',
        ${EPOCH} + i * 10
      ${series(count)}`)
    yield* sql.unsafe(`INSERT INTO renewal_jobs
        (job_id, local_conversation_id, message_id, status, payload_kind, payload, target_snapshot,
         attempt_count, max_attempts, next_attempt_at, last_attempt_at, last_error, log_path,
         started_at, finished_at, created_at, updated_at)
      SELECT 'job_hist_' || lpad(i::text, 8, '0'), 'lc-' || (i % ${spread}), 'msg-' || i, 'done', 'json',
        json_build_object('kind', 'renewal.message', 'version', 1, 'template', 'summary_with_link',
          'text', '[renewal] Here is reply number ' || i || chr(10) || 'https://chatgpt.com/c/conv-' || (i % ${spread}),
          'source_message', json_build_object('id', 'msg-' || i, 'platform', 'chatgpt',
            'conversation_id', 'conv-' || (i % ${spread}), 'observed_at', ${EPOCH} + i * 10))::text,
        ${snapshot(`(i % ${spread})`)},
        1, 3, NULL, ${EPOCH} + i * 10 + 5, NULL, 'logs/timed-jobs/2023-11-14.jsonl',
        ${EPOCH} + i * 10 + 5, ${EPOCH} + i * 10 + 6, ${EPOCH} + i * 10 + 1, ${EPOCH} + i * 10 + 6
      ${series(count)}`)
  })

/** `count` due pending jobs, one in each of the first `count` conversations; `round` keeps ids apart. */
export const dueJobs = (count: number, round = 0) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(`INSERT INTO renewal_jobs
        (job_id, local_conversation_id, message_id, status, payload_kind, payload, target_snapshot,
         attempt_count, max_attempts, next_attempt_at, last_attempt_at, last_error, log_path,
         started_at, finished_at, created_at, updated_at)
      SELECT 'job_due_${round}_' || lpad(i::text, 8, '0'), 'lc-' || i, 'due-${round}-msg-' || i, 'pending', 'text',
        '[renewal] a reply' || chr(10) || 'https://chatgpt.com/c/conv-' || i, ${snapshot("i")},
        0, 3, ${HISTORY_END} + i, NULL, NULL, NULL, NULL, NULL, ${HISTORY_END} + i, ${HISTORY_END} + i
      ${series(count)}`)
    yield* sql.unsafe(`ANALYZE`)
  })
