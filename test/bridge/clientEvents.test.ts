import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Layer, Queue, Stream, TestClock } from "effect"
import { STATUS_CHECK_MS } from "../../src/layers/bridge/clientStatusEvents.js"
import { makeConnectionHandler } from "../../src/layers/bridge/ConnectionHandler.js"
import * as EventsLive from "../../src/layers/EventsLive.js"
import { type ConductorEvent, Events } from "../../src/services/Events.js"
import { BridgeTest, fakeConnection } from "./harness.js"

const statusesOf = (events: ReadonlyArray<ConductorEvent>) =>
  events.flatMap((event) => (event.type === "client.updated" ? [event.client.status] : []))

describe("client.updated", () => {
  it.scoped("is published on connect, on going stale and fresh again, and on disconnect", () =>
    Effect.gen(function*() {
      const pull = yield* Stream.toPull(yield* (yield* Events).subscribe)
      const seen: Array<ConductorEvent> = []
      const until = (n: number) =>
        Effect.gen(function*() {
          while (statusesOf(seen).length < n) seen.push(...Chunk.toReadonlyArray(yield* pull))
          return statusesOf(seen)
        })

      const fake = yield* fakeConnection("conn_1")
      const handler = yield* makeConnectionHandler(fake.connection)
      yield* handler.handle(JSON.stringify({ type: "hello", client_id: "firefox-chatgpt", platforms: ["chatgpt"] }))
      yield* Queue.take(fake.frames)
      expect(yield* until(1)).toEqual(["fresh"])

      // Quiet for longer than 30 s: noticed at the next status check.
      yield* TestClock.adjust(30_000 + STATUS_CHECK_MS)
      expect(yield* until(2)).toEqual(["fresh", "stale"])
      yield* handler.handle(JSON.stringify({ type: "ping" }))
      yield* TestClock.adjust(STATUS_CHECK_MS)
      expect(yield* until(3)).toEqual(["fresh", "stale", "fresh"])
      yield* handler.end
      expect(yield* until(4)).toEqual(["fresh", "stale", "fresh", "lost"])
      const last = seen.filter((event) => event.type === "client.updated").at(-1)
      expect(last).toMatchObject({ client: { client_id: "firefox-chatgpt", connection_id: "conn_1" } })
    }).pipe(Effect.provide(BridgeTest.pipe(Layer.provideMerge(EventsLive.layer)))))
})
