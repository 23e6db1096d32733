import { Context, type Effect } from "effect"
import type { BrowserClient, ClientStatus, DeliveryFailure, DeliveryReceipt, DeliveryRequest } from "../domain/index.js"

export type { ClientStatus }

/** A client as the bridge lists it (the domain's `BrowserClient`). */
export type ClientInfo = BrowserClient

/** The way back into the user's browser tabs. */
export interface BrowserBridgeService {
  /** Sends one renewal and waits for the client's answer (at most `timeout_ms`). */
  readonly deliver: (request: DeliveryRequest) => Effect.Effect<DeliveryReceipt, DeliveryFailure>
  readonly clients: Effect.Effect<ReadonlyArray<ClientInfo>>
}

export class BrowserBridge extends Context.Tag("baa-conductor/BrowserBridge")<BrowserBridge, BrowserBridgeService>() {}
