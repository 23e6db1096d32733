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
