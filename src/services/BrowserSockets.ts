import type * as Socket from "@effect/platform/Socket"
import { Context, type Effect } from "effect"

/**
 * The bridge's inbound side: what the HTTP route hands an upgraded WebSocket to. `serve` returns
 * once the socket is open; the socket is then served (hello, frames, deliveries' answers) until
 * it closes, in a fiber of the bridge's own rather than the upgrade request's.
 */
export interface BrowserSocketsService {
  readonly serve: (socket: Socket.Socket) => Effect.Effect<void>
  /** How many sockets are being served now: each one's fibers and queues live until it closes. */
  readonly open: Effect.Effect<number>
}

export class BrowserSockets extends Context.Tag("baa-conductor/BrowserSockets")<BrowserSockets, BrowserSocketsService>() {}
