import { Schema } from "effect"
import { JobId, LocalConversationId, MessageId, Millis, Platform, RemoteConversationId } from "./ids.js"

export const Role = Schema.Literal("assistant", "user", "system")
export type Role = typeof Role.Type

/** A final chat message reported by the browser extension. */
export const Message = Schema.Struct({
  id: MessageId,
  platform: Platform,
  conversation_id: RemoteConversationId,
  role: Role,
  raw_text: Schema.String,
  /** As the browser reported it: its clock may be ahead of the daemon's. */
  observed_at: Millis,
  /**
   * Daemon-assigned when the message was stored (null for messages stored before it was kept):
   * the projector settles a message on the earlier of this and `observed_at`.
   */
  received_at: Schema.optionalWith(Schema.NullOr(Millis), { exact: true }),
  /** Daemon-assigned, strictly increasing in insertion order: the projector's cursor. */
  seq: Schema.Int,
  /** Set by the store on a row that no longer decodes: the projector skips it (`corrupt_record`). */
  corrupt: Schema.optionalWith(Schema.Literal(true), { exact: true })
})
export type Message = typeof Message.Type

export const NewMessage = Message.pipe(Schema.omit("seq", "corrupt"))

/** When a message counts as observed for settling: a browser clock ahead of the daemon's cannot delay it. */
export const settleBase = (message: Pick<Message, "observed_at" | "received_at">): number =>
  message.received_at == null ? message.observed_at : Math.min(message.observed_at, message.received_at)
export type NewMessage = typeof NewMessage.Type

/** Where the projector left a message: not yet looked at, turned into a job, or skipped. */
export const MessageDecision = Schema.Literal("undecided", "job_created", "skipped")
export type MessageDecision = typeof MessageDecision.Type

/** Why a message makes no job, in the order the projector's checks run. */
export const SkipReason = Schema.Literal(
  "corrupt_record",
  "non_assistant_message",
  "missing_local_conversation",
  "automation_manual",
  "automation_paused",
  "route_unavailable",
  "job_exists"
)
export type SkipReason = typeof SkipReason.Type

/** The projector's decision on one message, stored with it in the projection's transaction. */
export const ProjectionDecision = Schema.Struct({
  message_id: MessageId,
  local_conversation_id: Schema.NullOr(LocalConversationId),
  decision: Schema.Literal("job_created", "skipped"),
  skip_reason: Schema.NullOr(SkipReason),
  job_id: Schema.NullOr(JobId),
  decided_at: Millis
})
export type ProjectionDecision = typeof ProjectionDecision.Type

/** A message as the API lists it: with its conversation (when known) and the projector's decision. */
export const MessageRecord = Schema.Struct({
  message_id: MessageId,
  platform: Platform,
  conversation_id: RemoteConversationId,
  local_conversation_id: Schema.NullOr(LocalConversationId),
  role: Role,
  raw_text: Schema.String,
  observed_at: Millis,
  seq: Schema.Int,
  decision: MessageDecision,
  skip_reason: Schema.NullOr(SkipReason),
  job_id: Schema.NullOr(JobId),
  decided_at: Schema.NullOr(Millis)
})
export type MessageRecord = typeof MessageRecord.Type

/** A message just stored: no decision yet. */
export const undecidedRecord = (
  message: Message,
  local_conversation_id: LocalConversationId | null
): MessageRecord => ({
  message_id: message.id,
  platform: message.platform,
  conversation_id: message.conversation_id,
  local_conversation_id,
  role: message.role,
  raw_text: message.raw_text,
  observed_at: message.observed_at,
  seq: message.seq,
  decision: "undecided",
  skip_reason: null,
  job_id: null,
  decided_at: null
})
