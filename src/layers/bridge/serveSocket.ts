import * as Socket from "@effect/platform/Socket"
import { Effect, Queue } from "effect"
import { newConnectionId } from "../../domain/index.js"
import * as Metrics from "../../services/Metrics.js"
import { makeConnectionHandler } from "./ConnectionHandler.js"
import type { Connection } from "./ClientRegistry.js"

/**
 * Runs one upgraded socket until it closes. Frames are queued as they arrive and handled one
 * at a time, so a client's frames take effect in the order it sent them; outgoing frames go
 * through a queue too, so sending never waits on the socket.
 */
export const serveSocket = (socket: Socket.Socket) =>
  Effect.gen(function* () {
    const write = yield* socket.writer
    const inbox = yield* Queue.unbounded<string | Uint8Array>()
    const outbox = yield* Queue.unbounded<string | Socket.CloseEvent>()
    const connection_id = yield* newConnectionId
    const connection: Connection = {
      connection_id,
      send: (frame) => Effect.zipRight(Metrics.frameOut(frame.type), Queue.offer(outbox, JSON.stringify(frame))),
      close: (code, reason) => Queue.offer(outbox, new Socket.CloseEvent(code, reason))
    }
    const handler = yield* makeConnectionHandler(connection)

    yield* Queue.take(outbox).pipe(
      Effect.flatMap((chunk) => Effect.ignore(write(chunk))),
      Effect.forever,
      Effect.forkScoped
    )
    yield* Queue.take(inbox).pipe(Effect.flatMap(handler.handle), Effect.forever, Effect.forkScoped)

    yield* Effect.logDebug("BrowserSocket.open").pipe(Effect.annotateLogs({ connection_id }))
    yield* socket
      .runRaw((data) => {
        inbox.unsafeOffer(data)
      })
      .pipe(
        Effect.catchAll((error) =>
          Effect.logDebug("BrowserSocket.closed").pipe(Effect.annotateLogs({ connection_id, reason: String(error) }))
        ),
        Effect.ensuring(handler.end)
      )
  }).pipe(Effect.scoped)
