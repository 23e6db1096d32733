import { Effect } from "effect"
import { type BenchClient, reply } from "./benchClient.js"
import type { Server } from "./processes.js"

export { PACING_OFF } from "./pacingOff.js"

export const TOKEN = "bench-token"

export const wsUrl = (daemon: Server) => `${daemon.url.replace(/^http/, "ws")}/v1/browser/ws?token=${TOKEN}`

/** An authorized request to the daemon's HTTP API; fails on any status but 2xx. */
export const api = (daemon: Server, method: "GET" | "POST", path: string) =>
  Effect.promise(async () => {
    const response = await fetch(daemon.url + path, { method, headers: { authorization: `Bearer ${TOKEN}` } })
    const body = await response.text()
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${body}`)
    return JSON.parse(body) as { data: any }
  })

/**
 * `count` conversations of `client`, each seen once (while `manual`: the reply is not renewed)
 * and switched to `auto`; then a moment for the set-up to settle.
 */
export const autoConversations = (
  daemon: Server,
  client: BenchClient,
  prefix: string,
  count: number,
  tabBase: number
) =>
  Effect.gen(function*() {
    yield* Effect.forEach(
      Array.from({ length: count }, (_, i) => i),
      (i) =>
        Effect.promise(() => reply(client, `${prefix}-${i}`, `${prefix}-${i}-seen`, tabBase + i)).pipe(
          Effect.flatMap((ack) => api(daemon, "POST", `/v1/renewal/conversations/${ack.local_conversation_id}/auto`))
        ),
      { concurrency: 20, discard: true }
    )
    yield* Effect.sleep("500 millis")
  })

/** Times `replies` replies one after another: reply sent → its delivery arrived, in ms. */
export const replyLatencies = (
  client: BenchClient,
  conversations: ReadonlyArray<string>,
  tabBase: number,
  round: string
) =>
  Effect.promise(async () => {
    const ms: Array<number> = []
    for (let i = 0; i < conversations.length; i++) {
      const message_id = `${conversations[i]}-${round}`
      const arrived = client.next((f) => f.type === "browser.proxy_delivery" && f.assistant_message_id === message_id)
      const sent = performance.now()
      void reply(client, conversations[i]!, message_id, tabBase + i)
      await arrived
      ms.push(client.delivered.get(message_id)! - sent)
    }
    return ms
  })

export const quantile = (xs: ReadonlyArray<number>, q: number) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}

export const summary = (ms: ReadonlyArray<number>) =>
  `p50 ${quantile(ms, 0.5).toFixed(2)} ms, p99 ${quantile(ms, 0.99).toFixed(2)} ms, max ${
    Math.max(...ms).toFixed(2)
  } ms (${ms.length} replies)`
