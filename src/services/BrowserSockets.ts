import type * as Socket from "@effect/platform/Socket"
import { Context, type Effect } from "effect"

/**
 * The bridge's inbound side: what the HTTP route hands an upgraded WebSocket to. It serves the
 * socket (hello, frames, deliveries' answers) until the socket closes.
 */
export interface BrowserSocketsService {
  readonly serve: (socket: Socket.Socket) => Effect.Effect<void>
}

export class BrowserSockets extends Context.Tag("baa-conductor/BrowserSockets")<BrowserSockets, BrowserSocketsService>() {}
