import { Schema } from "effect"
import { ClientId, ConnectionId, Millis } from "./ids.js"

/** `fresh`: seen within 30 s; `stale`: connected but quiet longer; `lost`: disconnected, kept 10 min. */
export const ClientStatus = Schema.Literal("fresh", "stale", "lost")
export type ClientStatus = typeof ClientStatus.Type

/** A browser extension client as the bridge knows it. */
export const BrowserClient = Schema.Struct({
  client_id: ClientId,
  connection_id: ConnectionId,
  platforms: Schema.Array(Schema.String),
  connected_at: Millis,
  last_seen_at: Millis,
  status: ClientStatus
})
export type BrowserClient = typeof BrowserClient.Type
