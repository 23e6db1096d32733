import { Deferred, Effect, type Scope } from "effect"
import WebSocket from "ws"
import type { Cluster, ClusterNode } from "./daemonCluster.js"

type Frame = Record<string, any>

export interface ReplyToReport {
  readonly conversation_id: string
  readonly message_id: string
  readonly tab_id: number
}

export interface FleetClient {
  readonly clientId: string
  /** The node this client's socket is on now. */
  readonly nodeId: () => string
  /** Sends every reply at once and waits for all their acks. */
  readonly report: (replies: ReadonlyArray<ReplyToReport>) => Effect.Effect<ReadonlyArray<Frame>>
}

export interface Fleet {
  readonly clients: ReadonlyArray<FleetClient>
  /** How many times each `plan_id` was delivered, over every client and connection. */
  readonly deliveries: ReadonlyMap<string, number>
  /** Connections opened after a daemon went away. */
  readonly reconnects: () => number
}

/**
 * Stand-in extensions spread round-robin over the cluster's nodes (or the given ones): each says hello, answers every
 * `browser.proxy_delivery` at once (a repeated `plan_id` as a duplicate, as the protocol asks),
 * and when its daemon goes away reconnects at once, under the same `client_id`, to the next live
 * node. Closed with the scope.
 */
export const spawnFleet = (
  cluster: Cluster,
  count: number,
  on: ReadonlyArray<ClusterNode> = cluster.nodes
): Effect.Effect<Fleet, never, Scope.Scope> =>
  Effect.gen(function*() {
    const deliveries = new Map<string, number>()
    let reconnects = 0
    let closing = false
    const sockets = new Set<WebSocket>()
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        closing = true
        for (const socket of sockets) socket.close()
      })
    )

    const makeClient = (index: number) =>
      Effect.async<FleetClient>((resume) => {
        const clientId = `browser-${index + 1}`
        const acks = new Map<string, Deferred.Deferred<Frame>>()
        let node: ClusterNode = on[index % on.length]!
        let socket: WebSocket
        const send = (frame: Frame) => socket.send(JSON.stringify(frame))

        const open = (onReady: () => void) => {
          socket = new WebSocket(`${node.daemon.wsUrl}?token=${encodeURIComponent(cluster.token)}`)
          sockets.add(socket)
          const mine = socket
          mine.on("open", () => send({ type: "hello", client_id: clientId, platforms: ["chatgpt"], version: "1" }))
          mine.on("message", (data) => {
            const frame = JSON.parse(String(data)) as Frame
            if (frame.type === "hello_ack") onReady()
            else if (frame.type === "browser.proxy_delivery") answer(frame)
            else if (frame.ref != null) {
              const waiting = acks.get(String(frame.ref))
              acks.delete(String(frame.ref))
              if (waiting !== undefined) Effect.runSync(Deferred.succeed(waiting, frame))
            }
          })
          mine.on("error", () => {})
          mine.on("close", () => {
            sockets.delete(mine)
            if (closing) return
            // The daemon went away (or refused us while dying): move to the next live node.
            const live = cluster.live()
            node = live[(live.indexOf(node) + 1) % live.length] ?? live[0]!
            reconnects++
            open(() => {})
          })
        }

        const answer = (frame: Frame) => {
          const plan = String(frame.plan_id)
          const seen = deliveries.get(plan) ?? 0
          deliveries.set(plan, seen + 1)
          send({
            type: "action_result",
            request_id: frame.request_id,
            accepted: true,
            completed: true,
            failed: false,
            reason: null,
            duplicate: seen > 0,
            received_at: null
          })
        }

        let sequence = 0
        const report = (replies: ReadonlyArray<ReplyToReport>) =>
          Effect.forEach(replies, (r) =>
            Effect.flatMap(Deferred.make<Frame>(), (ack) =>
              Effect.sync(() => {
                const id = `${clientId}-f${++sequence}`
                acks.set(id, ack)
                send({
                  type: "browser.final_message",
                  id,
                  platform: "chatgpt",
                  conversation_id: r.conversation_id,
                  message_id: r.message_id,
                  role: "assistant",
                  text: `the reply ${r.message_id}`,
                  page_url: `https://chatgpt.com/c/${r.conversation_id}`,
                  page_title: "A conversation",
                  tab_id: r.tab_id
                })
                return ack
              }))).pipe(Effect.flatMap((all) => Effect.forEach(all, Deferred.await)))

        open(() => resume(Effect.succeed({ clientId, nodeId: () => node.nodeId, report })))
      })

    const clients = yield* Effect.forEach(Array.from({ length: count }, (_, i) => i), makeClient, {
      concurrency: "unbounded"
    })
    return { clients, deliveries, reconnects: () => reconnects }
  })
