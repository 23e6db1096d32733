import { Schema } from "effect"
import { JobId, LinkId, LocalConversationId, MessageId, Millis, Platform, RemoteConversationId } from "./ids.js"
import { type ConversationLink, RouteParams } from "./Link.js"

export const JobStatus = Schema.Literal("pending", "running", "done", "failed")
export type JobStatus = typeof JobStatus.Type

export const PayloadKind = Schema.Literal("text", "json")
export type PayloadKind = typeof PayloadKind.Type

/** The link as it was when last resolved for a job. */
export const TargetSnapshot = Schema.Struct({
  link_id: LinkId,
  platform: Platform,
  client_id: Schema.String,
  page_url: Schema.NullOr(Schema.String),
  page_title: Schema.NullOr(Schema.String),
  route: Schema.Struct({
    path: Schema.NullOr(Schema.String),
    pattern: Schema.NullOr(Schema.String),
    params: Schema.NullOr(RouteParams)
  }),
  target: Schema.Struct({
    kind: Schema.String,
    id: Schema.NullOr(Schema.String),
    payload: Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
  })
})
export type TargetSnapshot = typeof TargetSnapshot.Type

/** The link as it is now, in the shape a job keeps (`target_snapshot`). */
export const targetSnapshotOf = (link: ConversationLink): TargetSnapshot => ({
  link_id: link.link_id,
  platform: link.platform,
  client_id: link.client_id,
  page_url: link.page_url,
  page_title: link.page_title,
  route: { path: link.route_path, pattern: link.route_pattern, params: link.route_params },
  target: { kind: link.target_kind, id: link.target_id, payload: link.target_payload }
})

/** The json payload the projector writes. */
export const RenewalPayload = Schema.Struct({
  kind: Schema.Literal("renewal.message"),
  version: Schema.Literal(1),
  template: Schema.String,
  text: Schema.String,
  source_message: Schema.Struct({
    id: MessageId,
    platform: Platform,
    conversation_id: RemoteConversationId,
    observed_at: Millis
  })
})
export type RenewalPayload = typeof RenewalPayload.Type

/** A follow-up message to send into a conversation, and its delivery state. */
export const RenewalJob = Schema.Struct({
  job_id: JobId,
  local_conversation_id: LocalConversationId,
  message_id: MessageId,
  status: JobStatus,
  payload_kind: PayloadKind,
  /** Raw as stored: for `json` a JSON document that may not parse (the dispatcher fails it then). */
  payload: Schema.String,
  target_snapshot: Schema.NullOr(TargetSnapshot),
  attempt_count: Schema.Int.pipe(Schema.nonNegative()),
  max_attempts: Schema.Int.pipe(Schema.positive()),
  next_attempt_at: Schema.NullOr(Millis),
  last_attempt_at: Schema.NullOr(Millis),
  last_error: Schema.NullOr(Schema.String),
  log_path: Schema.NullOr(Schema.String),
  started_at: Schema.NullOr(Millis),
  finished_at: Schema.NullOr(Millis),
  created_at: Millis,
  updated_at: Millis
})
export type RenewalJob = typeof RenewalJob.Type

/** A job to create: the store stamps the rest (`pending`, no attempts, `created_at`). */
export const NewJob = Schema.Struct({
  /** Daemon-assigned (`job_…`) unless given. */
  job_id: Schema.optional(JobId),
  ...RenewalJob.pick(
    "local_conversation_id",
    "message_id",
    "payload_kind",
    "payload",
    "target_snapshot",
    "max_attempts"
  ).fields,
  next_attempt_at: Millis
})
export type NewJob = typeof NewJob.Type

const optionalFields = <F extends Record<string, Schema.Schema.All>>(
  fields: F
): { [K in keyof F]: Schema.optional<F[K]> } =>
  Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, Schema.optional(field)])) as {
    [K in keyof F]: Schema.optional<F[K]>
  }

/** Fields a job write may set, each optional; the store stamps `updated_at`. */
export const JobPatch = Schema.Struct(optionalFields(
  RenewalJob.pick(
    "status",
    "attempt_count",
    "max_attempts",
    "next_attempt_at",
    "last_attempt_at",
    "last_error",
    "log_path",
    "started_at",
    "finished_at",
    "target_snapshot"
  ).fields
))
export type JobPatch = typeof JobPatch.Type
