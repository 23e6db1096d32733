import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { ClientId } from "../../src/domain/index.js"
import { ClientRegistry } from "../../src/layers/bridge/ClientRegistry.js"
import { BrowserBridge } from "../../src/services/BrowserBridge.js"
import { BrowserSockets } from "../../src/services/BrowserSockets.js"
import { helloClient, ServerTest } from "./harness.js"
import { closed } from "./wsClient.js"

const CLIENTS = 20

/** Lets the server's side of closed sockets run until `done` holds; counts turns, never time. */
const untilServed = (done: Effect.Effect<boolean>) =>
  Effect.gen(function*() {
    for (let turn = 0; turn < 2_000; turn++) {
      if (yield* done) return true
      yield* Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))
    }
    return yield* done
  })

describe("per-connection resources", () => {
  it.scoped("are released when clients disconnect: no socket served, no connection held by the registry", () =>
    Effect.gen(function*() {
      const sockets = yield* BrowserSockets
      const registry = yield* ClientRegistry
      const ids = Array.from({ length: CLIENTS }, (_, i) => `cleanup-${i}`)
      const clients = yield* Effect.forEach(ids, (id) => helloClient(id), { concurrency: 5 })
      expect(yield* sockets.open).toBe(CLIENTS)
      for (const id of ids) expect(Option.isSome(yield* registry.current(ClientId.make(id)))).toBe(true)

      yield* Effect.forEach(
        clients,
        ({ client }) => Effect.zipRight(Effect.sync(() => client.close()), closed(client)),
        {
          discard: true
        }
      )
      expect(yield* untilServed(Effect.map(sockets.open, (open) => open === 0))).toBe(true)
      for (const id of ids) expect(yield* registry.current(ClientId.make(id))).toEqual(Option.none())
      const statuses = (yield* (yield* BrowserBridge).clients).map((c) => c.status)
      expect(statuses).toEqual(ids.map(() => "lost"))
    }).pipe(Effect.provide(ServerTest)))
})
