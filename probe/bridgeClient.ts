import type WebSocket from "ws"
import { type Daemon, openSocket } from "./daemon.js"

export interface Delivery {
  readonly plan_id: string
  readonly message_id: string
}

/**
 * A stand-in extension for the kill -9 probe: says hello, records each acknowledged message id
 * and each delivery, and accepts every delivery at once.
 */
export const extension = async (daemon: Daemon, acked: Set<string>, deliveries: Array<Delivery>) => {
  const ws: WebSocket = await openSocket(daemon)
  ws.on("error", () => {})
  ws.on("message", (data) => {
    const frame = JSON.parse(data.toString()) as Record<string, any>
    if (frame.type === "ack" && typeof frame.message_id === "string") acked.add(frame.message_id)
    if (frame.type === "browser.proxy_delivery") {
      deliveries.push({ plan_id: frame.plan_id, message_id: frame.assistant_message_id })
      ws.send(
        JSON.stringify({
          type: "action_result",
          request_id: frame.request_id,
          accepted: true,
          completed: true,
          failed: false
        })
      )
    }
  })
  ws.send(JSON.stringify({ type: "hello", client_id: "probe-extension", platforms: ["chatgpt"] }))
  const reply = (message_id: string, conversation: number) =>
    ws.send(JSON.stringify({
      type: "browser.final_message",
      id: message_id,
      platform: "chatgpt",
      conversation_id: `conv_${conversation}`,
      message_id,
      role: "assistant",
      text: `reply ${message_id}`,
      tab_id: conversation + 1,
      page_url: `https://chatgpt.com/c/conv_${conversation}`
    }))
  return { ws, reply }
}

/** `GET` on the daemon's API with its token; the envelope's data. */
export const apiData = async (daemon: Daemon, path: string): Promise<any> => {
  const response = await fetch(daemon.url + path, { headers: { authorization: `Bearer ${daemon.token}` } })
  const body = (await response.json()) as { ok: boolean; data: any }
  if (!body.ok) throw new Error(`${path}: ${JSON.stringify(body)}`)
  return body.data
}
