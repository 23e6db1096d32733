import { Effect } from "effect"
import { WebSocketServer } from "ws"
import { MAX_FRAME_BYTES } from "../../domain/frames.js"

/** Bytes a connection may leave unsent (the client not reading) before it is dropped. */
export const MAX_OUTBOX_BYTES = 8 * 1024 * 1024
/** Bytes of received frames a connection may have waiting to be handled before it is dropped. */
export const MAX_INBOX_BYTES = 16 * 1024 * 1024

/** Close codes for the limits (RFC 6455). */
export const LimitCloseCodes = {
  /** The daemon is stopping. */
  goingAway: 1001,
  /** The client sends faster than it reads, or than its frames can be handled. */
  tryAgainLater: 1013
} as const

export const byteLength = (data: string | Uint8Array) =>
  typeof data === "string" ? Buffer.byteLength(data, "utf8") : data.byteLength

/** What the daemon reads of the socket under a connection: how much it holds unsent. */
export interface BufferedSocket {
  readonly bufferedAmount: number
}

const CAPPED = Symbol.for("baa-conductor/ws/maxPayload")

/**
 * `@effect/platform-node` makes its WebSocket server without options, so `ws` would take a frame
 * of up to 100 MiB into memory before refusing it. With `maxPayload` at the frame limit, `ws`
 * cuts an oversized frame as soon as its header announces the length, and closes with 1009.
 * The server is not reachable from here, so every server of the process gets the cap; this
 * process has only the one.
 */
export const capIncomingFrames: Effect.Effect<void> = Effect.sync(() => {
  const proto = WebSocketServer.prototype as WebSocketServer & { [CAPPED]?: true }
  if (proto[CAPPED]) return
  const handleUpgrade = proto.handleUpgrade
  proto.handleUpgrade = function(this: WebSocketServer, ...args: Parameters<WebSocketServer["handleUpgrade"]>) {
    this.options.maxPayload = Math.min(this.options.maxPayload ?? MAX_FRAME_BYTES, MAX_FRAME_BYTES)
    return handleUpgrade.apply(this, args)
  }
  proto[CAPPED] = true
})
