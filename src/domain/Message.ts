import { Schema } from "effect"
import { MessageId, Millis, Platform, RemoteConversationId } from "./ids.js"

export const Role = Schema.Literal("assistant", "user", "system")
export type Role = typeof Role.Type

/** A final chat message reported by the browser extension. */
export const Message = Schema.Struct({
  id: MessageId,
  platform: Platform,
  conversation_id: RemoteConversationId,
  role: Role,
  raw_text: Schema.String,
  observed_at: Millis,
  /** Daemon-assigned, strictly increasing in insertion order: the projector's cursor. */
  seq: Schema.Int
})
export type Message = typeof Message.Type

export const NewMessage = Message.pipe(Schema.omit("seq"))
export type NewMessage = typeof NewMessage.Type
