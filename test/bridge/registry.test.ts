import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Fiber, Option, Queue, TestClock } from "effect"
import { makeConnectionHandler } from "../../src/layers/bridge/ConnectionHandler.js"
import { BrowserBridge } from "../../src/services/BrowserBridge.js"
import { BridgeTest, deliveryRequest, fakeConnection } from "./harness.js"

/** A connection handler over a fake connection: the same frame handling as a socket, driven by hand. */
const openHandler = (connectionId: string, client_id: string) =>
  Effect.gen(function*() {
    const fake = yield* fakeConnection(connectionId)
    const handler = yield* makeConnectionHandler(fake.connection)
    yield* handler.handle(JSON.stringify({ type: "hello", client_id, platforms: ["chatgpt"] }))
    expect((yield* Queue.take(fake.frames)).type).toBe("hello_ack")
    return { ...fake, handler }
  })

const statuses = Effect.flatMap(BrowserBridge, (bridge) => bridge.clients)

describe("client statuses", () => {
  it.scoped("go fresh → stale → fresh on any frame → lost on disconnect → forgotten after 10 min", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_000_000)
      const { frames, handler } = yield* openHandler("conn_1", "firefox-chatgpt")
      expect(yield* statuses).toEqual([
        {
          client_id: "firefox-chatgpt",
          connection_id: "conn_1",
          platforms: ["chatgpt"],
          connected_at: 1_000_000,
          last_seen_at: 1_000_000,
          status: "fresh"
        }
      ])

      yield* TestClock.adjust("30 seconds")
      expect((yield* statuses)[0]?.status).toBe("fresh")
      yield* TestClock.adjust("1 millis")
      expect((yield* statuses)[0]?.status).toBe("stale")

      // Even a frame the daemon refuses is a sign of life.
      yield* handler.handle("{not json")
      expect(yield* Queue.take(frames)).toMatchObject({ type: "error", error: "invalid_frame" })
      expect((yield* statuses)[0]).toMatchObject({ status: "fresh", last_seen_at: 1_030_001 })

      yield* handler.end
      expect((yield* statuses)[0]).toMatchObject({ status: "lost", connection_id: "conn_1" })
      yield* TestClock.adjust("10 minutes")
      expect((yield* statuses)[0]?.status).toBe("lost")
      yield* TestClock.adjust("1 millis")
      expect(yield* statuses).toEqual([])
    }).pipe(Effect.provide(BridgeTest)))

  it.scoped("a reconnecting client is fresh again under its new connection", () =>
    Effect.gen(function*() {
      const first = yield* openHandler("conn_1", "firefox-chatgpt")
      yield* first.handler.end
      yield* TestClock.adjust("1 minute")
      yield* openHandler("conn_2", "firefox-chatgpt")
      expect(yield* statuses).toEqual([
        expect.objectContaining({ connection_id: "conn_2", connected_at: 60_000, status: "fresh" })
      ])
    }).pipe(Effect.provide(BridgeTest)))
})

describe("deliver at the layer level", () => {
  it.scoped("times out on the TestClock when no action_result comes", () =>
    Effect.gen(function*() {
      const bridge = yield* BrowserBridge
      const { frames } = yield* openHandler("conn_1", "firefox-chatgpt")
      const fiber = yield* Effect.fork(Effect.either(bridge.deliver(deliveryRequest({ timeout_ms: 20_000 }))))
      expect((yield* Queue.take(frames)).type).toBe("browser.proxy_delivery")
      yield* TestClock.adjust("19999 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 millis")
      const outcome = yield* Fiber.join(fiber)
      expect(Option.getOrThrow(Either.getLeft(outcome))._tag).toBe("DeliveryTimeout")
    }).pipe(Effect.provide(BridgeTest)))

  it.scoped("fails a delivery in flight on a connection that a newer one replaced", () =>
    Effect.gen(function*() {
      const bridge = yield* BrowserBridge
      const older = yield* openHandler("conn_1", "firefox-chatgpt")
      const fiber = yield* Effect.fork(Effect.either(bridge.deliver(deliveryRequest())))
      const frame = yield* Queue.take(older.frames)
      yield* openHandler("conn_2", "firefox-chatgpt")
      expect(yield* Queue.take(older.closes)).toEqual({ code: 4000, reason: expect.any(String) })
      const outcome = yield* Fiber.join(fiber)
      expect(Option.getOrThrow(Either.getLeft(outcome))._tag).toBe("ClientDisconnected")

      // The old connection's late answer is ignored.
      yield* older.handler.handle(
        JSON.stringify({ type: "action_result", request_id: (frame as any).request_id, accepted: true })
      )
      expect(yield* Queue.size(older.frames)).toBe(0)
    }).pipe(Effect.provide(BridgeTest)))
})
