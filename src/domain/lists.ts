import { Schema } from "effect"
import { AutomationStatus } from "./Conversation.js"
import { ClientId, LocalConversationId, MessageId, Platform, RemoteConversationId } from "./ids.js"
import { JobStatus } from "./Job.js"
import { MessageDecision } from "./Message.js"

/** One page of a list: at most `limit` items after skipping `offset`. */
export const Page = Schema.Struct({
  limit: Schema.Int,
  offset: Schema.Int
})
export type Page = typeof Page.Type

/** Filters of the conversation list; newest `updated_at` first. */
export const ConversationFilter = Schema.Struct({
  platform: Schema.optional(Platform),
  status: Schema.optional(AutomationStatus),
  ...Page.fields
})
export type ConversationFilter = typeof ConversationFilter.Type

/** Filters of the link list; newest `observed_at` first. */
export const LinkFilter = Schema.Struct({
  platform: Schema.optional(Platform),
  remote_conversation_id: Schema.optional(RemoteConversationId),
  client_id: Schema.optional(ClientId),
  local_conversation_id: Schema.optional(LocalConversationId),
  is_active: Schema.optional(Schema.Boolean),
  ...Page.fields
})
export type LinkFilter = typeof LinkFilter.Type

/** Filters of the job list; newest `created_at` first. */
export const JobFilter = Schema.Struct({
  status: Schema.optional(JobStatus),
  local_conversation_id: Schema.optional(LocalConversationId),
  message_id: Schema.optional(MessageId),
  ...Page.fields
})
export type JobFilter = typeof JobFilter.Type

/** Filters of the message list; newest `seq` first. */
export const MessageFilter = Schema.Struct({
  local_conversation_id: Schema.optional(LocalConversationId),
  platform: Schema.optional(Platform),
  decision: Schema.optional(MessageDecision),
  ...Page.fields
})
export type MessageFilter = typeof MessageFilter.Type
