import { Clock, Effect, Option, Ref } from "effect"
import {
  type ClientFrame,
  CloseCodes,
  type DaemonFrame,
  type ErrorFrame,
  type FrameRef,
  type HelloFrame,
  MAX_FRAME_BYTES
} from "../../domain/frames.js"
import type { ClientId } from "../../domain/index.js"
import { closeTab, recordFinalMessage } from "../../programs/ingest/index.js"
import type { ArtifactStore } from "../../services/ArtifactStore.js"
import type { ConductorConfig } from "../../services/ConductorConfig.js"
import * as Metrics from "../../services/Metrics.js"
import type { Wakeups } from "../../services/Wakeups.js"
import { ClientRegistry, type Connection } from "./ClientRegistry.js"
import { decodeEnvelope, InvalidFrame, readEnvelope } from "./decodeFrame.js"
import { scanFrame } from "./frameScan.js"
import { PendingDeliveries } from "./PendingDeliveries.js"

const errorFrame = (ref: FrameRef, error: ErrorFrame["error"], message: string, field?: string): ErrorFrame => ({
  type: "error",
  ref,
  error,
  message,
  ...(field === undefined ? {} : { details: { field } })
})

// A refused value is quoted in the message; a huge one is not worth echoing whole.
const MAX_MESSAGE_CHARS = 300
const clip = (message: string) =>
  message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}…` : message

const invalid = (e: InvalidFrame) => errorFrame(e.ref, "invalid_frame", clip(e.message), e.field)

const byteLength = (data: string | Uint8Array) =>
  typeof data === "string" ? Buffer.byteLength(data, "utf8") : data.byteLength

/**
 * One connection's conversation with the daemon: frames in order, one at a time. A bad frame
 * gets an `error` frame and the connection stays open; only an oversized frame closes it.
 */
export const makeConnectionHandler = (connection: Connection) =>
  Effect.gen(function*() {
    const registry = yield* ClientRegistry
    const pending = yield* PendingDeliveries
    const context = yield* Effect.context<ArtifactStore | ConductorConfig | Wakeups>()
    const client = yield* Ref.make(Option.none<ClientId>())
    const closing = yield* Ref.make(false)
    const send = (frame: DaemonFrame) => connection.send(frame)

    const hello = (frame: HelloFrame) =>
      Effect.gen(function*() {
        const known = yield* Ref.get(client)
        if (Option.isSome(known) && known.value !== frame.client_id) {
          return yield* new InvalidFrame({
            ref: frame.id ?? null,
            field: "client_id",
            message: "a connection speaks for one client_id; open a new connection for another"
          })
        }
        if (Option.isNone(known)) {
          yield* Ref.set(client, Option.some(frame.client_id))
          yield* registry.attach(frame.client_id, frame.platforms, connection)
        }
        const server_time = yield* Clock.currentTimeMillis
        yield* send({ type: "hello_ack", connection_id: connection.connection_id, server_time })
      })

    const handleFrame = (client_id: ClientId, frame: Exclude<ClientFrame, HelloFrame>) => {
      switch (frame.type) {
        case "browser.final_message":
          return recordFinalMessage(client_id, frame).pipe(
            Effect.catchTag("InvalidStoreInput", (e) =>
              Effect.fail(new InvalidFrame({ ref: frame.id ?? null, field: e.field, message: e.message }))),
            Effect.provide(context),
            Effect.flatMap(send)
          )
        case "browser.tab_closed":
          return closeTab(client_id, frame).pipe(Effect.provide(context), Effect.flatMap(send))
        case "ping":
          return Effect.flatMap(Clock.currentTimeMillis, (server_time) =>
            send({ type: "pong", ref: frame.id ?? null, server_time }))
        case "action_result":
          return pending.resolve(connection.connection_id, frame).pipe(
            Effect.tap((matched) =>
              matched
                ? Effect.void
                : Effect.logDebug("ConnectionHandler.actionResult: ignored").pipe(
                  Effect.annotateLogs({ request_id: frame.request_id })
                )
            )
          )
      }
    }

    const handleText = (text: string) =>
      Effect.gen(function*() {
        const known = yield* Ref.get(client)
        // Any frame is a sign of life, even one we refuse.
        if (Option.isSome(known)) {
          yield* registry.seen(known.value, connection.connection_id)
        }
        const envelope = yield* readEnvelope(text)
        yield* Metrics.frameIn(envelope.type)
        if (envelope.type !== "hello" && Option.isNone(known)) {
          return yield* send(errorFrame(envelope.ref, "hello_required", "send hello before any other frame"))
        }
        const frame = yield* decodeEnvelope(envelope)
        if (frame.type === "hello") {
          return yield* hello(frame)
        }
        if (Option.isSome(known)) {
          yield* handleFrame(known.value, frame)
        }
      }).pipe(
        Effect.catchTag("InvalidFrame", (e) =>
          send(invalid(e))),
        Effect.catchAllCause((cause) =>
          Effect.logError("ConnectionHandler.handle: frame failed", cause).pipe(
            Effect.zipRight(
              send(errorFrame(scanFrame(text).ref, "internal_error", "the daemon could not process this frame"))
            )
          )
        )
      )

    /** Handles one incoming text (or binary, read as UTF-8) frame. */
    const handle = (data: string | Uint8Array) =>
      Effect.gen(function*() {
        if (yield* Ref.get(closing)) {
          return
        }
        if (byteLength(data) > MAX_FRAME_BYTES) {
          yield* Ref.set(closing, true)
          return yield* connection.close(CloseCodes.tooBig, "frame larger than 1 MiB")
        }
        yield* handleText(typeof data === "string" ? data : new TextDecoder().decode(data))
      })

    /** The socket is gone: the client becomes lost and its waiting deliveries fail. */
    const end = Ref.get(client).pipe(
      Effect.flatMap(
        Option.match({
          onNone: () =>
            pending.failConnection(connection.connection_id),
          onSome: (client_id) =>
            registry.detach(client_id, connection.connection_id)
        })
      )
    )

    return { handle, end } as const
  })
