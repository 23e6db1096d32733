import { Command } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import * as HttpServer from "@effect/platform/HttpServer"
import { describe, expect, it } from "@effect/vitest"
import { Console, Effect, Either, Logger, LogLevel, Option, Queue, Redacted } from "effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { WebSocketServer } from "ws"
import { bridgeSimCommand, runBridgeSim, type SimConfig } from "../../src/cli/bridgeSim/index.js"
import { ClientId, PlanId } from "../../src/domain/index.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { BrowserBridge } from "../../src/services/BrowserBridge.js"
import { makeTempDir } from "../support/tempStore.js"
import { deliveryRequest, ServerTest, TOKEN } from "./harness.js"

/** The command prints every frame; this test reads the store instead. */
const silently = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Console.consoleWith((base) => Effect.withConsole(effect, { ...base, log: () => Effect.void }))

const httpUrl = Effect.map(HttpServer.HttpServer, (server) => {
  const address = server.address as HttpServer.TcpAddress
  return `http://127.0.0.1:${address.port}`
})

const simConfig = (url: string, overrides: Partial<SimConfig> = {}): SimConfig => ({
  url,
  token: Redacted.make(TOKEN),
  clientId: "bridge-sim",
  platform: "chatgpt",
  mode: "accept",
  rejectReason: "rejected_by_simulator",
  replies: [],
  file: null,
  conversationId: "conv_sim",
  tabId: 3,
  pageUrl: null,
  messageId: null,
  exitAfterReplies: false,
  ...overrides
})

/** Starts the simulator in the background; its printed lines land in a queue. */
const startSim = (overrides: Partial<SimConfig> = {}) =>
  Effect.gen(function*() {
    const lines = yield* Queue.unbounded<Record<string, any>>()
    const print = (line: string) => Queue.offer(lines, JSON.parse(line)).pipe(Effect.asVoid)
    const fiber = yield* Effect.forkScoped(runBridgeSim(simConfig(yield* httpUrl, overrides), print))
    const first = yield* Queue.take(lines)
    expect(first.type).toBe("hello_ack")
    return { fiber, lines }
  })

describe("bridge-sim", () => {
  it.scoped("reports --reply texts and exits once they are acknowledged", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const lines = yield* Queue.unbounded<Record<string, any>>()
      const print = (line: string) => Queue.offer(lines, JSON.parse(line)).pipe(Effect.asVoid)
      const config = simConfig(yield* httpUrl, {
        replies: ["first", "second"],
        messageId: "msg_a",
        exitAfterReplies: true
      })
      yield* runBridgeSim(config, print)

      const printed = yield* Queue.takeAll(lines)
      expect([...printed].map((f) => f.type)).toEqual(["hello_ack", "ack", "ack"])
      const messages = yield* store.messagesAfter(0, 10)
      expect(messages.map((m) => [m.id, m.raw_text])).toEqual([["msg_a", "first"], ["msg_a-2", "second"]])
      const [link] = yield* store.listLinks({ limit: 10, offset: 0 })
      expect(link).toMatchObject({ client_id: "bridge-sim", target_id: "tab:3", route_path: "/c/conv_sim" })
    }).pipe(Effect.provide(ServerTest)))

  it.scoped("reports the JSON lines of --file, each line overriding the flags", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const file = join(yield* makeTempDir, "replies.jsonl")
      const lines = [
        { text: "from a file", message_id: "m-file-1" },
        { text: "a user line", message_id: "m-file-2", role: "user", platform: "gemini", conversation_id: "g-1" }
      ]
      writeFileSync(file, lines.map((line) => JSON.stringify(line)).join("\n") + "\n\n")
      yield* runBridgeSim(simConfig(yield* httpUrl, { file, exitAfterReplies: true }), () => Effect.void)
      const messages = yield* store.messagesAfter(0, 10)
      expect(messages.map((m) => [m.id, m.role, m.platform, m.conversation_id])).toEqual([
        ["m-file-1", "assistant", "chatgpt", "conv_sim"],
        ["m-file-2", "user", "gemini", "g-1"]
      ])
    }).pipe(Effect.provide(ServerTest)))

  it.scoped("accepts deliveries, prints them, and answers a repeated plan as a duplicate", () =>
    Effect.gen(function*() {
      const bridge = yield* BrowserBridge
      const { lines } = yield* startSim()
      const request = deliveryRequest({ client_id: ClientId.make("bridge-sim"), plan_id: PlanId.make("plan_job_7") })
      const first = yield* bridge.deliver(request)
      const again = yield* bridge.deliver(request)
      expect([first.duplicate, again.duplicate]).toEqual([false, true])
      const printed = yield* Queue.take(lines)
      expect(printed).toMatchObject({
        type: "browser.proxy_delivery",
        plan_id: "plan_job_7",
        request_id: first.request_id
      })
    }).pipe(Effect.provide(ServerTest)))

  it.scoped("rejects deliveries with --reject-reason in reject mode", () =>
    Effect.gen(function*() {
      const bridge = yield* BrowserBridge
      yield* startSim({ mode: "reject", rejectReason: "tab_busy" })
      const outcome = yield* Effect.either(bridge.deliver(deliveryRequest({ client_id: ClientId.make("bridge-sim") })))
      expect(Option.getOrThrow(Either.getLeft(outcome))).toMatchObject({ _tag: "DeliveryRejected", reason: "tab_busy" })
    }).pipe(Effect.provide(ServerTest)))

  it.scoped("fails with the daemon's refusal on a wrong token", () =>
    Effect.gen(function*() {
      const url = yield* httpUrl
      const outcome = yield* Effect.either(runBridgeSim(simConfig(url, { token: Redacted.make("nope") })))
      expect(Option.getOrThrow(Either.getLeft(outcome)).message).toContain("401")
    }).pipe(Effect.provide(ServerTest)))

  it.scoped("runs from its command line", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const run = Command.run(bridgeSimCommand, { name: "bridge-sim", version: "test" })
      yield* run([
        "node",
        "baa-conductor",
        "--url",
        yield* httpUrl,
        "--token",
        TOKEN,
        "--client-id",
        "cli-sim",
        "--platform",
        "claude",
        "--conversation-id",
        "c-42",
        "--tab-id",
        "9",
        "--reply",
        "from the command line",
        "--exit-after-replies"
      ]).pipe(silently, Effect.provide(NodeContext.layer))
      const [link] = yield* store.listLinks({ limit: 10, offset: 0 })
      expect(link).toMatchObject({
        client_id: "cli-sim",
        platform: "claude",
        route_path: "/chat/c-42",
        target_id: "tab:9"
      })
    }).pipe(Effect.provide(ServerTest)))

  it.scoped("skips a frame that is not JSON and carries on", () =>
    Effect.gen(function*() {
      // A stand-in daemon that answers the hello with garbage first.
      const server = yield* Effect.acquireRelease(
        Effect.async<WebSocketServer>((resume) => {
          const wss: WebSocketServer = new WebSocketServer({ port: 0, host: "127.0.0.1" }, () =>
            resume(Effect.succeed(wss)))
        }),
        (wss) =>
          Effect.async<void>((resume) => wss.close(() => resume(Effect.void)))
      )
      server.on("connection", (socket) =>
        socket.on("message", () => {
          socket.send("this is not json {")
          socket.send("[1, 2]")
          socket.send(JSON.stringify({ type: "hello_ack", connection_id: "conn_1", server_time: 1 }))
        }))
      const { port } = server.address() as { readonly port: number }
      const lines = yield* Queue.unbounded<Record<string, any>>()
      const print = (line: string) => Queue.offer(lines, JSON.parse(line)).pipe(Effect.asVoid)
      yield* runBridgeSim(simConfig(`http://127.0.0.1:${port}`, { exitAfterReplies: true }), print).pipe(
        Logger.withMinimumLogLevel(LogLevel.None)
      )
      expect([...(yield* Queue.takeAll(lines))].map((f) => f.type)).toEqual(["hello_ack"])
    }))
})
