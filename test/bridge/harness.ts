import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import { Effect, Layer, Queue, Redacted } from "effect"
import { createServer } from "node:http"
import type { DaemonFrame } from "../../src/domain/frames.js"
import { ClientId, ConnectionId, type DeliveryRequest, MessageId, PlanId } from "../../src/domain/index.js"
import * as BrowserSocketRoute from "../../src/http/BrowserSocketRoute.js"
import type { Connection } from "../../src/layers/bridge/ClientRegistry.js"
import * as WebSocketBrowserBridge from "../../src/layers/bridge/WebSocketBrowserBridge.js"
import * as WakeupsLive from "../../src/layers/WakeupsLive.js"
import { ApiToken } from "../../src/services/ApiToken.js"
import { ConductorConfig, defaultRenewalSettings } from "../../src/services/ConductorConfig.js"
import { QuietLogs } from "../support/quietLogs.js"
import { tempStoreLayer } from "../support/tempStore.js"
import { connect, request, type TestClient } from "./wsClient.js"

export const TOKEN = "test-token-0123456789"

export const ConfigTest = Layer.succeed(ConductorConfig, {
  renewal: defaultRenewalSettings(),
  node: { nodeId: "node-test", role: "primary", runId: "run-test", startedAt: 0, version: "0.0.0-test" }
})

const Services = WebSocketBrowserBridge.layer.pipe(
  Layer.provideMerge(
    Layer.mergeAll(tempStoreLayer, ConfigTest, Layer.succeed(ApiToken, Redacted.make(TOKEN)), WakeupsLive.layer)
  ),
  Layer.provideMerge(QuietLogs)
)

/** The bare bridge over a real store: for tests that drive connections by hand. */
export const BridgeTest = Services

/** A real HTTP server on a free port serving the bridge route, plus the services behind it. */
export const ServerTest = HttpLayerRouter.serve(BrowserSocketRoute.layer, {
  disableLogger: true,
  disableListenLog: true
}).pipe(
  Layer.provideMerge(Services),
  Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
  Layer.provideMerge(QuietLogs)
)

export const wsUrl = (query = "") =>
  Effect.map(HttpServer.HttpServer, (server) => {
    const address = server.address as HttpServer.TcpAddress
    return `ws://127.0.0.1:${address.port}${BrowserSocketRoute.PATH}${query}`
  })

/** Connects with the token and says hello; returns the client and its `hello_ack`. */
export const helloClient = (client_id: string, platforms: ReadonlyArray<string> = ["chatgpt"]) =>
  Effect.gen(function*() {
    const client = yield* connect(yield* wsUrl(`?token=${TOKEN}`))
    const ack = yield* request(client, { type: "hello", client_id, platforms, version: "1" })
    return { client, ack } as { client: TestClient; ack: Record<string, any> }
  })

export const finalMessage = (overrides: Record<string, unknown> = {}) => ({
  type: "browser.final_message",
  id: "f-1",
  platform: "chatgpt",
  conversation_id: "conv_abc",
  message_id: "msg_1",
  role: "assistant",
  text: "Here is the answer.",
  observed_at: 1_774_872_000_000,
  page_url: "https://chatgpt.com/c/conv_abc",
  page_title: "Title",
  tab_id: 17,
  organization_id: null,
  shell_page: false,
  ...overrides
})

/** A connection without a socket: what the daemon sends lands in queues. */
export const fakeConnection = (id: string) =>
  Effect.gen(function*() {
    const frames = yield* Queue.unbounded<DaemonFrame>()
    const closes = yield* Queue.unbounded<{ code: number; reason: string }>()
    const connection: Connection = {
      connection_id: ConnectionId.make(id),
      send: (frame) => Queue.offer(frames, frame),
      close: (code, reason) => Queue.offer(closes, { code, reason })
    }
    return { connection, frames, closes }
  })

export const deliveryRequest = (overrides: Partial<DeliveryRequest> = {}): DeliveryRequest => ({
  client_id: ClientId.make("firefox-chatgpt"),
  plan_id: PlanId.make("plan_job_1"),
  platform: "chatgpt",
  conversation_id: "conv_abc",
  organization_id: null,
  tab_id: 17,
  page_url: "https://chatgpt.com/c/conv_abc",
  page_title: "Title",
  assistant_message_id: MessageId.make("msg_1"),
  message_text: "[renewal] keep going\nhttps://chatgpt.com/c/conv_abc",
  timeout_ms: 20_000,
  ...overrides
})
