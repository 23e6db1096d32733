import type * as Socket from "@effect/platform/Socket"
import { Context, type Effect } from "effect"

/**
 * The bridge's inbound side: what the HTTP route hands an upgraded WebSocket to. `serve` returns
 * once the socket is open; the socket is then served (hello, frames, deliveries' answers) until
 * it closes, in a fiber of the bridge's own rather than the upgrade request's.
 */
export interface BrowserSocketsService {
  readonly serve: (socket: Socket.Socket) => Effect.Effect<void>
}

export class BrowserSockets extends Context.Tag("baa-conductor/BrowserSockets")<BrowserSockets, BrowserSocketsService>() {}
