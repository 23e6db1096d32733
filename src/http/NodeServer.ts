import { Deferred, Duration, Effect, Layer } from "effect"
import { createServer, type Server } from "node:http"
import type { Duplex } from "node:stream"

/**
 * Node's defaults let a half-sent request hold its socket for minutes (and its timeouts are
 * only checked every 30 s). A request must arrive whole within 10 s; an idle keep-alive socket
 * is closed after 5 s.
 */
export const TIMEOUTS = {
  headersTimeout: 10_000,
  requestTimeout: 10_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000
} as const

/** At shutdown, how long open connections get to end by themselves before they are cut. */
export const SHUTDOWN_GRACE = Duration.millis(500)

export interface NodeServer {
  readonly server: Server
  /**
   * Stops accepting, closes idle connections, gives the others `SHUTDOWN_GRACE` to end and then
   * destroys them (half-sent requests, bridge clients that do not read): the server's own
   * release would otherwise wait for every one of them.
   */
  readonly closeConnections: Effect.Effect<void>
}

export const make = Effect.sync((): NodeServer => {
  const server = createServer(TIMEOUTS)
  server.keepAliveTimeout = TIMEOUTS.keepAliveTimeout
  // Upgraded sockets leave Node's own connection list, so every socket is tracked here.
  const sockets = new Set<Duplex>()
  server.on("connection", (socket: Duplex) => {
    sockets.add(socket)
    socket.once("close", () => sockets.delete(socket))
  })

  const closeConnections = Effect.gen(function*() {
    const closed = yield* Deferred.make<void>()
    yield* Effect.sync(() => {
      if (!server.listening) return
      server.close(() => Deferred.unsafeDone(closed, Effect.void))
      server.closeIdleConnections()
    })
    if (sockets.size === 0) return
    // Finalizers are uninterruptible: the wait must be made interruptible for the timeout to end it.
    const ended = yield* Deferred.await(closed).pipe(
      Effect.interruptible,
      Effect.timeoutTo({ duration: SHUTDOWN_GRACE, onSuccess: () => true, onTimeout: () => false })
    )
    if (ended) return
    yield* Effect.logDebug("Server.shutdown: cutting connections").pipe(
      Effect.annotateLogs({ connections: sockets.size })
    )
    yield* Effect.sync(() => sockets.forEach((socket) => socket.destroy()))
  })

  return { server, closeConnections }
})

/** A layer whose release runs `closeConnections`: place it between the server and its routes. */
export const closeOnRelease = (node: NodeServer): Layer.Layer<never> =>
  Layer.scopedDiscard(Effect.addFinalizer(() => node.closeConnections))
