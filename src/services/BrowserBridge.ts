import { Context, type Effect } from "effect"
import type { ClientId, ConnectionId, DeliveryFailure, DeliveryReceipt, DeliveryRequest } from "../domain/index.js"

/** `fresh`: seen within 30 s; `stale`: connected but quiet longer; `lost`: disconnected, kept 10 min. */
export type ClientStatus = "fresh" | "stale" | "lost"

export interface ClientInfo {
  readonly client_id: ClientId
  readonly connection_id: ConnectionId
  readonly platforms: ReadonlyArray<string>
  readonly connected_at: number
  readonly last_seen_at: number
  readonly status: ClientStatus
}

/** The way back into the user's browser tabs. */
export interface BrowserBridgeService {
  /** Sends one renewal and waits for the client's answer (at most `timeout_ms`). */
  readonly deliver: (request: DeliveryRequest) => Effect.Effect<DeliveryReceipt, DeliveryFailure>
  readonly clients: Effect.Effect<ReadonlyArray<ClientInfo>>
}

export class BrowserBridge extends Context.Tag("baa-conductor/BrowserBridge")<BrowserBridge, BrowserBridgeService>() {}
