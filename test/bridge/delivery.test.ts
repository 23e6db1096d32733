import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Fiber, Option, TestClock } from "effect"
import { ClientId, type DeliveryRequest } from "../../src/domain/index.js"
import { BrowserBridge } from "../../src/services/BrowserBridge.js"
import { DISPATCHER, Wakeups } from "../../src/services/Wakeups.js"
import { deliveryRequest, helloClient, ServerTest } from "./harness.js"
import { closed, next, request, send, type TestClient } from "./wsClient.js"

/** Starts a delivery and returns it with the frame the client received for it. */
const startDelivery = (client: TestClient, overrides: Partial<DeliveryRequest> = {}) =>
  Effect.gen(function*() {
    const bridge = yield* BrowserBridge
    const fiber = yield* Effect.fork(Effect.either(bridge.deliver(deliveryRequest(overrides))))
    const frame = yield* next(client)
    return { fiber, frame }
  })

const failure = <E>(outcome: Either.Either<unknown, E>): E => Option.getOrThrow(Either.getLeft(outcome))

const result = (request_id: string, fields: Record<string, unknown>) => ({
  type: "action_result",
  request_id,
  accepted: true,
  completed: true,
  failed: false,
  reason: null,
  duplicate: false,
  received_at: 1_774_872_000_050,
  ...fields
})

describe("BrowserBridge.deliver over a WebSocket", () => {
  it.scoped("sends browser.proxy_delivery and succeeds on an accepted action_result", () =>
    Effect.gen(function*() {
      const { ack, client } = yield* helloClient("firefox-chatgpt")
      const { fiber, frame } = yield* startDelivery(client)
      expect(frame).toEqual({
        type: "browser.proxy_delivery",
        request_id: expect.stringMatching(/^req_/),
        plan_id: "plan_job_1",
        platform: "chatgpt",
        conversation_id: "conv_abc",
        organization_id: null,
        tab_id: 17,
        page_url: "https://chatgpt.com/c/conv_abc",
        page_title: "Title",
        assistant_message_id: "msg_1",
        message_text: "[renewal] keep going\nhttps://chatgpt.com/c/conv_abc",
        timeout_ms: 20_000
      })
      yield* send(client, result(frame.request_id, { duplicate: true }))
      const receipt = yield* Fiber.join(fiber)
      expect(receipt).toEqual(
        Either.right({
          request_id: frame.request_id,
          connection_id: ack.connection_id,
          duplicate: true,
          received_at: 1_774_872_000_050
        })
      )
    }).pipe(Effect.provide(ServerTest)))

  it.scoped.each([
    {
      name: "accepted: false with a reason",
      fields: { accepted: false, reason: "tab_not_found" },
      reason: "tab_not_found",
      code: "tab_not_found"
    },
    {
      name: "failed: true",
      fields: { failed: true, reason: "composer_locked" },
      reason: "composer_locked",
      code: "composer_locked"
    },
    {
      name: "no reason at all",
      fields: { accepted: false, reason: null },
      reason: "delivery_rejected",
      code: "delivery_rejected"
    },
    {
      name: "a free-text reason",
      fields: { accepted: false, reason: "Not Snake Case!" },
      reason: "Not Snake Case!",
      code: "client_error"
    }
  ])("fails with DeliveryRejected on $name", ({ code, fields, reason }) =>
    Effect.gen(function*() {
      const { client } = yield* helloClient("firefox-chatgpt")
      const { fiber, frame } = yield* startDelivery(client)
      yield* send(client, result(frame.request_id, fields))
      const outcome = yield* Fiber.join(fiber)
      expect(failure(outcome)).toMatchObject({
        _tag: "DeliveryRejected",
        reason,
        code,
        request_id: frame.request_id
      })
    }).pipe(Effect.provide(ServerTest)))

  it.scoped("times out after timeout_ms, and ignores the late result", () =>
    Effect.gen(function*() {
      const { client } = yield* helloClient("firefox-chatgpt")
      const { fiber, frame } = yield* startDelivery(client, { timeout_ms: 5_000 })
      yield* TestClock.adjust("5 seconds")
      const outcome = yield* Fiber.join(fiber)
      expect(failure(outcome)).toMatchObject({
        _tag: "DeliveryTimeout",
        code: "delivery_timeout"
      })
      yield* send(client, result(frame.request_id, {}))
      yield* send(client, result("req_unknown", {}))
      expect(yield* request(client, { type: "ping", id: "after" })).toMatchObject({ type: "pong", ref: "after" })
    }).pipe(Effect.provide(ServerTest)))

  it.scoped("times each delivery out at its own deadline, a shorter one sent later first", () =>
    Effect.gen(function*() {
      const { client } = yield* helloClient("firefox-chatgpt")
      const long = yield* startDelivery(client, { timeout_ms: 20_000 })
      yield* TestClock.adjust("1 second")
      const short = yield* startDelivery(client, { timeout_ms: 5_000 })
      const answered = yield* startDelivery(client, { timeout_ms: 5_000 })
      yield* send(client, result(answered.frame.request_id, {}))
      expect(Either.isRight(yield* Fiber.join(answered.fiber))).toBe(true)
      yield* TestClock.adjust("4999 millis")
      expect(yield* Fiber.poll(short.fiber)).toEqual(Option.none())
      yield* TestClock.adjust("1 millis")
      expect(failure(yield* Fiber.join(short.fiber))).toMatchObject({ code: "delivery_timeout" })
      expect(yield* Fiber.poll(long.fiber)).toEqual(Option.none())
      yield* TestClock.adjust("14 seconds")
      expect(failure(yield* Fiber.join(long.fiber))).toMatchObject({ code: "delivery_timeout" })
    }).pipe(Effect.provide(ServerTest)))

  it.scoped("fails with ClientDisconnected when the connection drops first", () =>
    Effect.gen(function*() {
      const { client } = yield* helloClient("firefox-chatgpt")
      const { fiber } = yield* startDelivery(client)
      yield* Effect.promise(() => client.close())
      const outcome = yield* Fiber.join(fiber)
      expect(failure(outcome)).toMatchObject({
        _tag: "ClientDisconnected",
        code: "client_disconnected"
      })
    }).pipe(Effect.provide(ServerTest)))

  it.scoped("fails with NoActiveClient when the link's client is not connected", () =>
    Effect.gen(function*() {
      const bridge = yield* BrowserBridge
      yield* helloClient("firefox-chatgpt")
      const outcome = yield* Effect.either(bridge.deliver(deliveryRequest({ client_id: ClientId.make("nobody") })))
      expect(failure(outcome)).toMatchObject({
        _tag: "NoActiveClient",
        code: "no_active_client",
        client_id: "nobody"
      })
    }).pipe(Effect.provide(ServerTest)))
})

describe("client replacement", () => {
  it.scoped("closes the older connection with 4000 and delivers to the newest", () =>
    Effect.gen(function*() {
      const { client: older } = yield* helloClient("firefox-chatgpt")
      const { ack, client: newer } = yield* helloClient("firefox-chatgpt")
      expect((yield* closed(older)).code).toBe(4000)

      const { fiber, frame } = yield* startDelivery(newer)
      yield* send(newer, result(frame.request_id, {}))
      const receipt = yield* Fiber.join(fiber)
      expect(Either.getOrThrow(receipt).connection_id).toBe(ack.connection_id)
    }).pipe(Effect.provide(ServerTest)))

  it.scoped("wakes the dispatcher when a client connects", () =>
    Effect.gen(function*() {
      const wakeups = yield* Wakeups
      yield* helloClient("firefox-chatgpt")
      // Completes only because the hello left a wake-up for the dispatcher.
      yield* wakeups.take(DISPATCHER)
    }).pipe(Effect.provide(ServerTest)))
})
