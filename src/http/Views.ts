import { Either, Option, Schema, Struct } from "effect"
import { ConversationLink, LocalConversation, MessageRecord, payloadText, RenewalJob } from "../domain/index.js"
import { ConversationQuery, JobQuery, LinkQuery, MessageQuery } from "./Params.js"

/**
 * A job as the API shows it: `payload` parsed when it is JSON (kept as the raw string when it
 * does not parse, so a broken job can still be inspected) and `payload_text`, the text that is
 * or would be sent (null when the dispatcher would fail the job for its payload).
 */
const { job_id, local_conversation_id, message_id, status, payload_kind, ...rest } = Struct.omit(
  RenewalJob.fields,
  "payload"
)
export const JobView = Schema.Struct({
  job_id,
  local_conversation_id,
  message_id,
  status,
  payload_kind,
  payload: Schema.Unknown,
  payload_text: Schema.NullOr(Schema.String),
  ...rest
})
export type JobView = typeof JobView.Type

const parseJson = Schema.decodeUnknownOption(Schema.parseJson())

export const toJobView = (job: RenewalJob): JobView => {
  const payload_text = Either.getOrNull(payloadText(job))
  if (job.payload_kind === "text") return { ...job, payload_text }
  return { ...job, payload: Option.getOrElse(parseJson(job.payload), () => job.payload), payload_text }
}

/** A conversation as read by id: with its active link and its ten newest jobs. */
export const ConversationView = Schema.Struct({
  ...LocalConversation.fields,
  active_link: Schema.NullOr(ConversationLink),
  recent_jobs: Schema.Array(JobView)
})
export type ConversationView = typeof ConversationView.Type

/**
 * Lists echo their effective filters (limit and offset included) in decoded form; `total` is how
 * many items match the filters, whatever the page.
 */
export const ConversationList = Schema.Struct({
  count: Schema.Int,
  total: Schema.Int,
  filters: Schema.typeSchema(ConversationQuery),
  conversations: Schema.Array(LocalConversation)
})

export const LinkList = Schema.Struct({
  count: Schema.Int,
  total: Schema.Int,
  filters: Schema.typeSchema(LinkQuery),
  links: Schema.Array(ConversationLink)
})

export const JobList = Schema.Struct({
  count: Schema.Int,
  total: Schema.Int,
  filters: Schema.typeSchema(JobQuery),
  jobs: Schema.Array(JobView)
})

export const MessageList = Schema.Struct({
  count: Schema.Int,
  total: Schema.Int,
  filters: Schema.typeSchema(MessageQuery),
  messages: Schema.Array(MessageRecord)
})
