import { Data, Schema } from "effect"
import { ClientId, ConnectionId, MessageId, Millis, PlanId, Platform, RequestId } from "./ids.js"

/** One renewal to send into one tab: what `browser.proxy_delivery` carries. */
export const DeliveryRequest = Schema.Struct({
  client_id: ClientId,
  plan_id: PlanId,
  platform: Platform,
  conversation_id: Schema.NullOr(Schema.String),
  organization_id: Schema.NullOr(Schema.String),
  tab_id: Schema.Int.pipe(Schema.positive()),
  page_url: Schema.NullOr(Schema.String),
  page_title: Schema.NullOr(Schema.String),
  assistant_message_id: MessageId,
  message_text: Schema.String,
  timeout_ms: Schema.Int.pipe(Schema.positive())
})
export type DeliveryRequest = typeof DeliveryRequest.Type

/** The client accepted the delivery. */
export interface DeliveryReceipt {
  readonly request_id: RequestId
  readonly connection_id: ConnectionId
  readonly duplicate: boolean
  readonly received_at: Millis | null
}

/** The link's client is not connected. */
export class NoActiveClient extends Data.TaggedError("NoActiveClient")<{ readonly client_id: string }> {
  readonly code = "no_active_client"
}

/** No `action_result` within `timeout_ms`. */
export class DeliveryTimeout extends Data.TaggedError("DeliveryTimeout")<{ readonly request_id: string }> {
  readonly code = "delivery_timeout"
}

/** The connection dropped before the result came. */
export class ClientDisconnected extends Data.TaggedError("ClientDisconnected")<{ readonly request_id: string }> {
  readonly code = "client_disconnected"
}

const SNAKE_CASE = /^[a-z][a-z0-9_]{0,63}$/

/**
 * The code a client's `reason` is stored as: a short snake_case code is kept, anything else
 * (free text, upper case, too long) becomes `client_error`, so `last_error` stays a code.
 */
export const clientReasonCode = (reason: string): string => (SNAKE_CASE.test(reason) ? reason : "client_error")

/** The client answered but did not deliver; `reason` is its text as sent, `code` its normalized form. */
export class DeliveryRejected extends Data.TaggedError("DeliveryRejected")<{
  readonly request_id: string
  readonly reason: string
}> {
  readonly code: string = clientReasonCode(this.reason)
}

export type DeliveryFailure = NoActiveClient | DeliveryTimeout | ClientDisconnected | DeliveryRejected
