import { Schema } from "effect"
import { LocalConversationId, MessageId, Millis, Platform, RemoteConversationId } from "./ids.js"

export const AutomationStatus = Schema.Literal("manual", "auto", "paused")
export type AutomationStatus = typeof AutomationStatus.Type

/** The daemon's own record of one (platform, remote conversation id). */
export const LocalConversation = Schema.Struct({
  local_conversation_id: LocalConversationId,
  platform: Platform,
  remote_conversation_id: RemoteConversationId,
  automation_status: AutomationStatus,
  paused_at: Schema.NullOr(Millis),
  last_message_id: Schema.NullOr(MessageId),
  last_message_at: Schema.NullOr(Millis),
  created_at: Millis,
  updated_at: Millis
})
export type LocalConversation = typeof LocalConversation.Type

/** What names a conversation on its platform. */
export const ConversationKey = LocalConversation.pick("platform", "remote_conversation_id")
export type ConversationKey = typeof ConversationKey.Type

export const NewConversation = Schema.Struct({
  ...ConversationKey.fields,
  automation_status: AutomationStatus,
  /** Daemon-assigned (`lc_…`) unless given. */
  local_conversation_id: Schema.optional(LocalConversationId)
})
export type NewConversation = typeof NewConversation.Type
