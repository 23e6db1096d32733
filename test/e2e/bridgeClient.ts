import { Data, Duration, Effect, Queue, Ref, type Scope } from "effect"
import WebSocket from "ws"

export type Frame = Record<string, any>

/** How the client answers `browser.proxy_delivery`. */
export type Answer = { readonly kind: "accept" } | { readonly kind: "reject"; readonly reason: string } | {
  readonly kind: "silent"
}

export class FrameNotSeen extends Data.TaggedError("FrameNotSeen")<{ readonly what: string; readonly frames: string }> {
  override get message() {
    return `no ${this.what}; frames so far:\n${this.frames}`
  }
}

/** A safety net for a frame that never comes: far above any expected wait, never asserted on. */
const FRAME_LIMIT = Duration.seconds(20)

export interface BridgeClient {
  readonly send: (frame: Frame) => Effect.Effect<void>
  /** Every frame received so far, in order. */
  readonly frames: Effect.Effect<ReadonlyArray<Frame>>
  /** The first frame after index `from` (default 0) matching `match`. */
  readonly waitFor: (
    what: string,
    match: (frame: Frame) => boolean,
    from?: number
  ) => Effect.Effect<Frame, FrameNotSeen>
  readonly answer: (answer: Answer) => Effect.Effect<void>
  readonly deliveries: Effect.Effect<ReadonlyArray<Frame>>
  readonly close: Effect.Effect<void>
}

/**
 * A stand-in browser extension on a real WebSocket: says hello, keeps every frame, and answers
 * deliveries as told. Closed with its scope.
 */
export const connect = (
  wsUrl: string,
  token: string,
  clientId: string,
  platforms: ReadonlyArray<string> = ["chatgpt"]
) =>
  Effect.gen(function*() {
    const frames = yield* Ref.make<ReadonlyArray<Frame>>([])
    const arrivals = yield* Queue.sliding<void>(1)
    const answer = yield* Ref.make<Answer>({ kind: "accept" })
    const socket = yield* Effect.acquireRelease(
      Effect.async<WebSocket, Error>((resume) => {
        const ws = new WebSocket(`${wsUrl}?token=${encodeURIComponent(token)}`)
        ws.once("open", () => resume(Effect.succeed(ws)))
        ws.once("error", (error) => resume(Effect.fail(error)))
      }),
      (ws) => Effect.sync(() => ws.close())
    ).pipe(Effect.orDie)

    const send = (frame: Frame) => Effect.sync(() => socket.send(JSON.stringify(frame)))
    const onDelivery = (frame: Frame) =>
      Effect.flatMap(Ref.get(answer), (a) =>
        a.kind === "silent"
          ? Effect.void
          : send({
            type: "action_result",
            request_id: frame.request_id,
            accepted: a.kind === "accept",
            completed: a.kind === "accept",
            failed: a.kind === "reject",
            reason: a.kind === "reject" ? a.reason : null,
            duplicate: false,
            received_at: null
          }))
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as Frame
      Effect.runSync(Ref.update(frames, (all) => [...all, frame]))
      if (frame.type === "browser.proxy_delivery") Effect.runSync(onDelivery(frame))
      Effect.runSync(Queue.offer(arrivals, undefined))
    })

    const waitFor = (what: string, match: (frame: Frame) => boolean, from = 0) =>
      Effect.gen(function*() {
        while (true) {
          const found = (yield* Ref.get(frames)).slice(from).find(match)
          if (found !== undefined) return found
          yield* Queue.take(arrivals)
        }
      }).pipe(
        Effect.timeoutFail({
          duration: FRAME_LIMIT,
          onTimeout: () =>
            new FrameNotSeen({ what, frames: Effect.runSync(Ref.get(frames)).map((f) => JSON.stringify(f)).join("\n") })
        })
      )

    const client: BridgeClient = {
      send,
      frames: Ref.get(frames),
      waitFor,
      answer: (a) => Ref.set(answer, a),
      deliveries: Effect.map(Ref.get(frames), (all) => all.filter((f) => f.type === "browser.proxy_delivery")),
      close: Effect.sync(() => socket.close())
    }
    yield* send({ type: "hello", client_id: clientId, platforms, version: "1" })
    yield* waitFor("hello_ack", (f) => f.type === "hello_ack")
    return client
  }) satisfies Effect.Effect<BridgeClient, FrameNotSeen, Scope.Scope>

let sequence = 0

/** Reports a final assistant reply in `tab_id` and waits for its ack. */
export const reply = (
  client: BridgeClient,
  options: {
    readonly conversation_id: string
    readonly message_id: string
    readonly tab_id: number
    readonly text?: string
  }
) =>
  Effect.gen(function*() {
    const id = `f-${++sequence}`
    yield* client.send({
      type: "browser.final_message",
      id,
      platform: "chatgpt",
      conversation_id: options.conversation_id,
      message_id: options.message_id,
      role: "assistant",
      text: options.text ?? `the reply ${options.message_id}`,
      page_url: `https://chatgpt.com/c/${options.conversation_id}`,
      page_title: "A conversation",
      tab_id: options.tab_id
    })
    return yield* client.waitFor(`ack of ${id}`, (f) => f.ref === id)
  })
