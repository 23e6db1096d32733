import { Schema, Struct } from "effect"
import { DeliveryRequest } from "./delivery.js"
import {
  ClientId,
  ConnectionId,
  LocalConversationId,
  MessageId,
  Millis,
  Platform,
  RemoteConversationId,
  RequestId
} from "./ids.js"
import { Role } from "./Message.js"

/**
 * The frames of the browser bridge (`bridge-protocol.md`). Each is one JSON object with a
 * `type`; optional fields are also accepted as `null`, which is what extensions tend to send.
 */

/** A client's own frame id, echoed back as `ref`. */
export const FrameRef = Schema.NullOr(Schema.Union(Schema.String, Schema.Number))
export type FrameRef = typeof FrameRef.Type

const optionalNull = <A, I, R>(schema: Schema.Schema<A, I, R>) => Schema.optional(Schema.NullOr(schema))
const frameId = optionalNull(Schema.Union(Schema.String, Schema.Number))
const TabId = Schema.Int.pipe(Schema.positive({ message: () => "a positive integer tab id" }))

// ---- client → daemon ----

export const HelloFrame = Schema.Struct({
  type: Schema.Literal("hello"),
  id: frameId,
  client_id: ClientId,
  platforms: Schema.optionalWith(Schema.Array(Platform), { default: () => [] }),
  version: optionalNull(Schema.String)
})
export type HelloFrame = typeof HelloFrame.Type

export const FinalMessageFrame = Schema.Struct({
  type: Schema.Literal("browser.final_message"),
  id: frameId,
  platform: Platform,
  conversation_id: RemoteConversationId,
  message_id: MessageId,
  role: Role,
  text: Schema.String,
  tab_id: TabId,
  observed_at: optionalNull(Millis),
  page_url: optionalNull(Schema.String),
  page_title: optionalNull(Schema.String),
  organization_id: optionalNull(Schema.String),
  shell_page: optionalNull(Schema.Boolean)
})
export type FinalMessageFrame = typeof FinalMessageFrame.Type

export const TabClosedFrame = Schema.Struct({
  type: Schema.Literal("browser.tab_closed"),
  id: frameId,
  tab_id: TabId
})
export type TabClosedFrame = typeof TabClosedFrame.Type

export const PingFrame = Schema.Struct({
  type: Schema.Literal("ping"),
  id: frameId
})
export type PingFrame = typeof PingFrame.Type

export const ActionResultFrame = Schema.Struct({
  type: Schema.Literal("action_result"),
  id: frameId,
  request_id: RequestId,
  accepted: Schema.Boolean,
  completed: optionalNull(Schema.Boolean),
  failed: optionalNull(Schema.Boolean),
  reason: optionalNull(Schema.String),
  duplicate: optionalNull(Schema.Boolean),
  received_at: optionalNull(Millis)
})
export type ActionResultFrame = typeof ActionResultFrame.Type

/** Decodes any client frame, picking the member by its `type`. */
export const ClientFrame = Schema.Union(HelloFrame, FinalMessageFrame, TabClosedFrame, PingFrame, ActionResultFrame)
export type ClientFrame = typeof ClientFrame.Type

export const CLIENT_FRAME_TYPES = [
  "hello",
  "browser.final_message",
  "browser.tab_closed",
  "ping",
  "action_result"
] as const

// ---- daemon → client ----

export const HelloAckFrame = Schema.Struct({
  type: Schema.Literal("hello_ack"),
  connection_id: ConnectionId,
  server_time: Millis
})
export type HelloAckFrame = typeof HelloAckFrame.Type

/** The answer to `browser.final_message`. */
export const MessageAckFrame = Schema.Struct({
  type: Schema.Literal("ack"),
  ref: FrameRef,
  message_id: MessageId,
  local_conversation_id: LocalConversationId,
  duplicate: Schema.Boolean
})
export type MessageAckFrame = typeof MessageAckFrame.Type

/** The answer to `browser.tab_closed`: how many links stopped being active. */
export const TabClosedAckFrame = Schema.Struct({
  type: Schema.Literal("ack"),
  ref: FrameRef,
  tab_id: TabId,
  deactivated_links: Schema.Int.pipe(Schema.nonNegative())
})
export type TabClosedAckFrame = typeof TabClosedAckFrame.Type

export const PongFrame = Schema.Struct({
  type: Schema.Literal("pong"),
  ref: FrameRef,
  server_time: Millis
})
export type PongFrame = typeof PongFrame.Type

export const FrameErrorCode = Schema.Literal("invalid_frame", "hello_required", "internal_error")
export type FrameErrorCode = typeof FrameErrorCode.Type

export const ErrorFrame = Schema.Struct({
  type: Schema.Literal("error"),
  ref: FrameRef,
  error: FrameErrorCode,
  message: Schema.String,
  details: Schema.optional(Schema.Struct({ field: Schema.optional(Schema.String) }))
})
export type ErrorFrame = typeof ErrorFrame.Type

/** A delivery request as sent: everything but the client it is routed to, plus a request id. */
export const ProxyDeliveryFrame = Schema.Struct({
  type: Schema.Literal("browser.proxy_delivery"),
  request_id: RequestId,
  ...Struct.omit(DeliveryRequest.fields, "client_id")
})
export type ProxyDeliveryFrame = typeof ProxyDeliveryFrame.Type

export const DaemonFrame = Schema.Union(
  HelloAckFrame,
  MessageAckFrame,
  TabClosedAckFrame,
  PongFrame,
  ErrorFrame,
  ProxyDeliveryFrame
)
export type DaemonFrame = typeof DaemonFrame.Type

/** Close codes the daemon uses besides the standard ones. */
export const CloseCodes = {
  /** A newer connection with the same `client_id` took over. */
  replaced: 4000,
  unauthorized: 4401,
  /** RFC 6455 "message too big". */
  tooBig: 1009
} as const

/** Frames over this many bytes close the connection. */
export const MAX_FRAME_BYTES = 1024 * 1024
