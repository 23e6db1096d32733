import { Schema } from "effect"
import {
  AutomationStatus,
  ConversationLink,
  JobId,
  JobStatus,
  LocalConversationId,
  MessageId,
  Millis,
  PayloadKind,
  Platform,
  RemoteConversationId,
  RenewalJob,
  RouteParams,
  TargetPayload,
  TargetSnapshot
} from "../../domain/index.js"

/** Object columns are JSON text in SQLite. */
const JsonColumn = <A, I>(schema: Schema.Schema<A, I>) => Schema.NullOr(Schema.parseJson(schema))

/** SQLite has no boolean: 0 / 1. */
const BooleanColumn = Schema.transform(Schema.Literal(0, 1), Schema.Boolean, {
  strict: true,
  decode: (n) => n === 1,
  encode: (b) => (b ? 1 : 0)
})

export const LinkRow = Schema.Struct({
  ...ConversationLink.fields,
  route_params: JsonColumn(RouteParams),
  target_payload: JsonColumn(TargetPayload),
  is_active: BooleanColumn
})

/** Extra columns (`claimed_*`) are dropped on decode: they are the store's own bookkeeping. */
export const JobRow = Schema.Struct({
  ...RenewalJob.fields,
  target_snapshot: JsonColumn(TargetSnapshot)
})

/** The settable job fields, as columns. */
export const JobPatchRow = Schema.Struct({
  status: Schema.optional(JobStatus),
  attempt_count: Schema.optional(RenewalJob.fields.attempt_count),
  max_attempts: Schema.optional(RenewalJob.fields.max_attempts),
  next_attempt_at: Schema.optional(Schema.NullOr(Millis)),
  last_attempt_at: Schema.optional(Schema.NullOr(Millis)),
  last_error: Schema.optional(Schema.NullOr(Schema.String)),
  log_path: Schema.optional(Schema.NullOr(Schema.String)),
  started_at: Schema.optional(Schema.NullOr(Millis)),
  finished_at: Schema.optional(Schema.NullOr(Millis)),
  target_snapshot: Schema.optional(JsonColumn(TargetSnapshot))
})

export const NewJobInput = Schema.Struct({
  job_id: Schema.optional(JobId),
  local_conversation_id: LocalConversationId,
  message_id: MessageId,
  payload_kind: PayloadKind,
  payload: Schema.String,
  target_snapshot: Schema.NullOr(TargetSnapshot),
  max_attempts: RenewalJob.fields.max_attempts,
  next_attempt_at: Millis
})

export const NewConversationInput = Schema.Struct({
  platform: Platform,
  remote_conversation_id: RemoteConversationId,
  automation_status: AutomationStatus,
  local_conversation_id: Schema.optional(LocalConversationId)
})

export const LinkInput = ConversationLink.pipe(Schema.omit("is_active", "created_at", "updated_at"))

export const Page = {
  limit: Schema.Int,
  offset: Schema.Int
}

/** A row that proves something exists. */
export const Exists = Schema.Struct({ found: Schema.Number })
