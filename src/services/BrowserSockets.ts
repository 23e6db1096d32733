import type * as Socket from "@effect/platform/Socket"
import { Context, type Effect } from "effect"

/**
 * The bridge's inbound side: what the HTTP route hands an upgraded WebSocket to. It serves the
 * socket (hello, frames, deliveries' answers) until the socket closes; `onOpen` runs once it is open.
 */
export interface BrowserSocketsService {
  readonly serve: (socket: Socket.Socket, onOpen?: Effect.Effect<void>) => Effect.Effect<void>
  /** How many sockets are being served now: each one's fibers and queues live until it closes. */
  readonly open: Effect.Effect<number>
}

export class BrowserSockets
  extends Context.Tag("baa-conductor/BrowserSockets")<BrowserSockets, BrowserSocketsService>()
{}
