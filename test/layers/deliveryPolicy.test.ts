import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Option, TestClock } from "effect"
import {
  ClientId,
  ConnectionId,
  defaultPacingLimits,
  DeliveryTimeout,
  LocalConversationId,
  NoActiveClient,
  type PacingLimits,
  RequestId
} from "../../src/domain/index.js"
import * as DeliveryPolicyLive from "../../src/layers/DeliveryPolicyLive.js"

const T0 = Date.UTC(2026, 2, 30, 12, 0, 0)
const delivery = (conversation: string, platform = "chatgpt", client = "c1") => ({
  request: { platform, client_id: ClientId.make(client) },
  local_conversation_id: LocalConversationId.make(conversation)
})
const ok = Either.right({
  request_id: RequestId.make("r"),
  connection_id: ConnectionId.make("x"),
  duplicate: false,
  received_at: null
})
const timedOut = Either.left(new DeliveryTimeout({ request_id: "r" }))
const only = (limits: Partial<PacingLimits>) =>
  DeliveryPolicyLive.make({
    conversationMinIntervalMs: 0,
    platformMaxPerMinute: 0,
    clientMaxPerMinute: 0,
    breakerFailures: 0,
    breakerCooldownMs: 0,
    ...limits
  })

describe("delivery policy: pacing and the circuit breaker", () => {
  it.effect("a conversation gets one successful delivery per interval; the next waits for the interval's end", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const policy = only({ conversationMinIntervalMs: 60_000 })
      expect(yield* policy.admit(delivery("lc_a"))).toEqual(Option.none())
      expect(yield* policy.admit(delivery("lc_b"))).toEqual(Option.none())
      // A failed attempt posted nothing: its retry is not held back.
      yield* policy.record(delivery("lc_b"), timedOut)
      yield* policy.record(delivery("lc_a"), ok)
      expect(yield* policy.admit(delivery("lc_b"))).toEqual(Option.none())
      yield* TestClock.adjust(59_999)
      expect(yield* policy.admit(delivery("lc_a"))).toEqual(
        Option.some({ reason: "conversation_paced", until: T0 + 60_000 })
      )
      yield* TestClock.adjust(1)
      expect(yield* policy.admit(delivery("lc_a"))).toEqual(Option.none())
    }))

  it.effect("a platform and a client are held to a sliding minute", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const policy = only({ platformMaxPerMinute: 2, clientMaxPerMinute: 3 })
      expect(yield* policy.admit(delivery("lc_1"))).toEqual(Option.none())
      yield* TestClock.adjust(10_000)
      expect(yield* policy.admit(delivery("lc_2"))).toEqual(Option.none())
      expect(yield* policy.admit(delivery("lc_3"))).toEqual(
        Option.some({ reason: "platform_paced", until: T0 + 60_000 })
      )
      // Another platform, same client: the client's third slot.
      expect(yield* policy.admit(delivery("lc_4", "claude"))).toEqual(Option.none())
      expect(yield* policy.admit(delivery("lc_5", "gemini"))).toEqual(
        Option.some({ reason: "client_paced", until: T0 + 60_000 })
      )
      expect(yield* policy.admit(delivery("lc_6", "gemini", "c2"))).toEqual(Option.none())
      yield* TestClock.adjust(50_000)
      expect(yield* policy.admit(delivery("lc_3"))).toEqual(Option.none())
      const [chatgpt] = yield* policy.platforms(["chatgpt"])
      expect(chatgpt).toEqual({
        platform: "chatgpt",
        limit_per_minute: 2,
        used_last_minute: 2,
        circuit: "closed",
        consecutive_failures: 0,
        next_try_at: T0 + 70_000
      })
    }))

  it.effect("the breaker opens after N failures, half-opens after the cool-down for one trial, and closes on success", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const policy = only({ breakerFailures: 3, breakerCooldownMs: 300_000 })
      const chatgpt = delivery("lc_a")
      for (let i = 0; i < 2; i++) yield* policy.record(chatgpt, timedOut)
      // A client that is not connected says nothing about the platform.
      yield* policy.record(chatgpt, Either.left(new NoActiveClient({ client_id: "c1" })))
      expect(yield* policy.admit(delivery("lc_a"))).toEqual(Option.none())
      yield* policy.record(chatgpt, timedOut)
      expect((yield* policy.platforms([]))[0]).toMatchObject({
        circuit: "open",
        consecutive_failures: 3,
        next_try_at: T0 + 300_000
      })
      expect(yield* policy.admit(delivery("lc_b"))).toEqual(
        Option.some({ reason: "circuit_open", until: T0 + 300_000 })
      )
      expect(yield* policy.admit(delivery("lc_c", "claude"))).toEqual(Option.none())

      yield* TestClock.adjust(300_000)
      expect((yield* policy.platforms([]))[0]).toMatchObject({ platform: "chatgpt", circuit: "half_open" })
      expect(yield* policy.admit(delivery("lc_b"))).toEqual(Option.none())
      // One trial at a time.
      expect(yield* policy.admit(delivery("lc_d"))).toEqual(
        Option.some({ reason: "circuit_open", until: T0 + 600_000 })
      )
      yield* policy.record(chatgpt, timedOut)
      expect((yield* policy.platforms([]))[0]).toMatchObject({ circuit: "open", next_try_at: T0 + 600_000 })

      yield* TestClock.adjust(300_000)
      expect(yield* policy.admit(delivery("lc_d"))).toEqual(Option.none())
      yield* policy.record(chatgpt, ok)
      expect((yield* policy.platforms([]))[0]).toMatchObject({
        circuit: "closed",
        consecutive_failures: 0,
        next_try_at: null
      })
      expect(yield* policy.admit(delivery("lc_e"))).toEqual(Option.none())
    }))

  it.effect("limits of 0 admit everything; the defaults are the cautious ones", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const policy = only({})
      for (let i = 0; i < 100; i++) expect(yield* policy.admit(delivery("lc_a"))).toEqual(Option.none())
      expect(defaultPacingLimits).toEqual({
        conversationMinIntervalMs: 60_000,
        platformMaxPerMinute: 20,
        clientMaxPerMinute: 60,
        breakerFailures: 5,
        breakerCooldownMs: 300_000
      })
    }))
})
