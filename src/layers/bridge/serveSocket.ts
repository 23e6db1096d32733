import * as Socket from "@effect/platform/Socket"
import { Deferred, Effect, Fiber, MutableRef, Option, Queue } from "effect"
import { newConnectionId } from "../../domain/index.js"
import * as Metrics from "../../services/Metrics.js"
import type { Connection } from "./ClientRegistry.js"
import { makeConnectionHandler } from "./ConnectionHandler.js"
import {
  type BufferedSocket,
  byteLength,
  capIncomingFrames,
  LimitCloseCodes,
  MAX_INBOX_BYTES,
  MAX_OUTBOX_BYTES
} from "./socketLimits.js"

/**
 * Runs one upgraded socket until it closes. Frames are queued as they arrive and handled one
 * at a time, so a client's frames take effect in the order it sent them; outgoing frames are
 * handed to the socket at once (its send buffers them in order and never waits, and nothing is
 * sent before the socket is open), so a connection costs one queue and two fibers, not two queues
 * and three. Both directions are bounded: a
 * client that floods frames, or does not read what it is sent, is dropped with 1013. When the
 * daemon stops, the client is told so with 1001. `onOpen` runs once
 * the socket is open.
 */
export const serveSocket = (socket: Socket.Socket, onOpen: Effect.Effect<unknown> = Effect.void) =>
  Effect.gen(function*() {
    yield* capIncomingFrames
    const write = yield* socket.writer
    const inbox = yield* Queue.unbounded<string | Uint8Array>()
    const scope = yield* Effect.scope
    const opened = yield* Deferred.make<void>()
    // Plain cells: the socket's message callback is synchronous and must keep frames in order.
    const inboxBytes = MutableRef.make(0)
    const closed = MutableRef.make(false)
    const dropping = MutableRef.make(false)
    // The socket under the connection, known once it delivered a frame (nothing is sent before).
    const peer = MutableRef.make<BufferedSocket | null>(null)
    const connection_id = yield* newConnectionId
    // The handler needs the connection and the connection's drop needs the handler.
    let end: Effect.Effect<void> = Effect.void
    const connection: Connection = {
      connection_id,
      send: (frame) =>
        Effect.zipRight(Metrics.frameOut(frame.type), Effect.suspend(() => deliver(JSON.stringify(frame)))),
      close: (code, reason) => Effect.suspend(() => closeOnce(new Socket.CloseEvent(code, reason)))
    }
    const handler = yield* makeConnectionHandler(connection)
    end = handler.end

    /** Writes one close frame at most; nothing is written after it. */
    const closeOnce = (event: Socket.CloseEvent) =>
      Effect.suspend(() => {
        if (MutableRef.get(closed)) return Effect.void
        MutableRef.set(closed, true)
        return Effect.ignore(write(event))
      })

    // The client is let go at once (lost, its deliveries failed), not when its socket ends.
    const drop = (reason: string) =>
      Effect.logInfo("BrowserSocket.dropped").pipe(
        Effect.annotateLogs({ connection_id, reason }),
        Effect.zipRight(closeOnce(new Socket.CloseEvent(LimitCloseCodes.tryAgainLater, reason))),
        Effect.zipRight(Effect.suspend(() => end))
      )

    // A sender (the dispatcher, the registry) never runs the drop itself: it is forked in the socket's scope.
    const deliver = (text: string): Effect.Effect<void> => {
      if (MutableRef.get(closed)) return Effect.void
      if ((MutableRef.get(peer)?.bufferedAmount ?? 0) > MAX_OUTBOX_BYTES) {
        if (MutableRef.getAndSet(dropping, true)) return Effect.void
        return Effect.asVoid(Effect.forkIn(drop("the client does not read its frames"), scope))
      }
      return Effect.ignore(write(text))
    }

    const receive = (data: string | Uint8Array) => {
      if (MutableRef.get(closed)) return
      if (MutableRef.updateAndGet(inboxBytes, (n) => n + byteLength(data)) > MAX_INBOX_BYTES) {
        return drop("the client sends frames faster than they can be handled")
      }
      inbox.unsafeOffer(data)
      // The platform gives the socket only to effects run by this callback.
      if (MutableRef.get(peer) === null) {
        return Effect.map(Effect.serviceOption(Socket.WebSocket), Option.map((ws) => MutableRef.set(peer, ws)))
      }
    }

    yield* Queue.take(inbox).pipe(
      Effect.tap((data) => MutableRef.update(inboxBytes, (n) => n - byteLength(data))),
      Effect.flatMap(handler.handle),
      Effect.forever,
      Effect.forkScoped
    )

    yield* Effect.logDebug("BrowserSocket.open").pipe(Effect.annotateLogs({ connection_id }))
    const reading = yield* socket.runRaw(receive, {
      onOpen: Effect.zipRight(Deferred.succeed(opened, undefined), onOpen)
    }).pipe(
      Effect.catchAll((error) =>
        Effect.logDebug("BrowserSocket.closed").pipe(Effect.annotateLogs({ connection_id, reason: String(error) }))
      ),
      Effect.fork
    )
    // Interrupted means the daemon is stopping: say so (1001) before the socket is released,
    // which would otherwise close it without a code.
    const goingAway = Deferred.isDone(opened).pipe(
      Effect.flatMap((open) =>
        open ? closeOnce(new Socket.CloseEvent(LimitCloseCodes.goingAway, "the daemon is shutting down")) : Effect.void
      ),
      Effect.zipRight(Fiber.interrupt(reading))
    )
    yield* Fiber.join(reading).pipe(Effect.onInterrupt(() => goingAway), Effect.ensuring(handler.end))
  }).pipe(Effect.scoped)
