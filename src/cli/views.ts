import type { ConversationLink, LocalConversation } from "../domain/index.js"
import type { PruneView } from "../http/RetentionApi.js"
import type { ConversationView, JobView } from "../http/Views.js"
import { fields, table, text, time } from "./output.js"

export const conversationsTable = (conversations: ReadonlyArray<LocalConversation>): string =>
  conversations.length === 0
    ? "no conversations"
    : table(
      ["id", "platform", "status", "remote id", "last message", "updated"],
      conversations.map((c) => [
        c.local_conversation_id,
        c.platform,
        c.automation_status,
        c.remote_conversation_id,
        time(c.last_message_at),
        time(c.updated_at)
      ])
    )

export const jobsTable = (jobs: ReadonlyArray<JobView>): string =>
  jobs.length === 0
    ? "no jobs"
    : table(
      ["job", "conversation", "status", "attempts", "next attempt", "last error", "created"],
      jobs.map((j) => [
        j.job_id,
        j.local_conversation_id,
        j.status,
        `${j.attempt_count}/${j.max_attempts}`,
        time(j.next_attempt_at),
        text(j.last_error),
        time(j.created_at)
      ])
    )

const linkLine = (link: ConversationLink | null): string =>
  link === null ? "-" : `${link.client_id} ${text(link.target_id)} ${text(link.page_url)}`

export const conversationDetail = (c: ConversationView): string =>
  [
    fields([
      ["id", c.local_conversation_id],
      ["platform", c.platform],
      ["remote id", c.remote_conversation_id],
      ["status", c.automation_status],
      ["paused at", time(c.paused_at)],
      ["last message", `${text(c.last_message_id)} at ${time(c.last_message_at)}`],
      ["active link", linkLine(c.active_link)],
      ["created", time(c.created_at)],
      ["updated", time(c.updated_at)]
    ]),
    "",
    "recent jobs:",
    jobsTable(c.recent_jobs)
  ].join("\n")

export const jobDetail = (j: JobView): string =>
  fields([
    ["job", j.job_id],
    ["conversation", j.local_conversation_id],
    ["message", j.message_id],
    ["status", j.status],
    ["attempts", `${j.attempt_count} of ${j.max_attempts}`],
    ["next attempt", time(j.next_attempt_at)],
    ["last attempt", time(j.last_attempt_at)],
    ["last error", text(j.last_error)],
    ["started", time(j.started_at)],
    ["finished", time(j.finished_at)],
    ["created", time(j.created_at)],
    ["updated", time(j.updated_at)],
    ["log", text(j.log_path)],
    [
      "target",
      j.target_snapshot === null ? "-" : `${j.target_snapshot.client_id} ${text(j.target_snapshot.target.id)}`
    ],
    ["text", text(j.payload_text)]
  ])

export const pruneReport = (r: typeof PruneView.Type): string =>
  fields([
    ["deleted jobs", `${r.deleted_jobs} (finished before ${time(r.jobs_finished_before)}, ${r.batches} batches)`],
    ["deleted log files", r.deleted_log_files.length === 0 ? "none" : r.deleted_log_files.join(", ")]
  ])
