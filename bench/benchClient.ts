import { Effect } from "effect"
import WebSocket from "ws"
import { acceptance } from "./acceptance.js"

export type Frame = Record<string, any>

/**
 * A stand-in browser extension for the benches, on plain `ws` callbacks so the timestamps are
 * taken the moment a frame arrives: it says hello, answers every `browser.proxy_delivery` at once
 * (or, `silent`, never) and notes when each delivery arrived, by assistant message id.
 */
export interface BenchClient {
  readonly send: (frame: Frame) => void
  /** The next frame (from now on) that matches. */
  readonly next: (match: (frame: Frame) => boolean) => Promise<Frame>
  /** `performance.now()` at each delivery's arrival, by `assistant_message_id`. */
  readonly delivered: Map<string, number>
  /** Every delivery so far. */
  readonly count: () => number
}

export const PLATFORMS = ["chatgpt", "claude", "gemini"]

/** One client on `url` (with its token), closed with the scope. */
export const open = (url: string, client_id: string, mode: "answer" | "silent" = "answer") =>
  Effect.acquireRelease(
    Effect.async<{ readonly socket: WebSocket; readonly client: BenchClient }, Error>((resume) => {
      const socket = new WebSocket(url)
      const waiters = new Set<{ match: (frame: Frame) => boolean; resolve: (frame: Frame) => void }>()
      const delivered = new Map<string, number>()
      let deliveries = 0
      const send = (frame: Frame) => socket.send(JSON.stringify(frame))
      const next = (match: (frame: Frame) => boolean) =>
        new Promise<Frame>((resolve) => {
          waiters.add({ match, resolve })
        })
      socket.on("message", (data: Buffer) => {
        const at = performance.now()
        const frame = JSON.parse(data.toString("utf8")) as Frame
        if (frame.type === "browser.proxy_delivery") {
          deliveries++
          delivered.set(frame.assistant_message_id, at)
          if (mode === "answer") {
            send(acceptance(frame.request_id))
          }
        }
        for (const waiter of waiters) {
          if (waiter.match(frame)) {
            waiters.delete(waiter)
            waiter.resolve(frame)
          }
        }
      })
      socket.on("open", () => {
        void next((f) => f.type === "hello_ack").then(() =>
          resume(Effect.succeed({ socket, client: { send, next, delivered, count: () => deliveries } }))
        )
        send({ type: "hello", client_id, platforms: PLATFORMS, version: "1" })
      })
      socket.on("error", (error) => resume(Effect.fail(error)))
    }),
    ({ socket }) => Effect.sync(() => socket.terminate())
  ).pipe(Effect.map(({ client }) => client))

let sequence = 0

/** Reports a final assistant reply and resolves with its `ack` (which names the local conversation). */
export const reply = (client: BenchClient, conversation_id: string, message_id: string, tab_id: number) => {
  const id = `f-${++sequence}`
  const acked = client.next((f) => f.ref === id)
  client.send({
    type: "browser.final_message",
    id,
    platform: "chatgpt",
    conversation_id,
    message_id,
    role: "assistant",
    text: `the reply ${message_id}`,
    page_url: `https://chatgpt.com/c/${conversation_id}`,
    page_title: "A conversation",
    tab_id
  })
  return acked
}
