import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect } from "effect"
import { connect as tcpConnect } from "node:net"
import { closed, connect, request } from "../bridge/wsClient.js"
import { spawnDaemon } from "../support/daemon.js"
import { makeTempDir } from "../support/tempStore.js"

/** SIGTERM must end the process within this, whatever the clients do (no delivery is in flight). */
const BOUND_MS = 2_000

describe("stopping the daemon", () => {
  it.scopedLive("exits 0 within the bound despite a half-sent request and a bridge client that stopped reading; clients see 1001", () =>
    Effect.gen(function*() {
      const daemon = yield* spawnDaemon({ stateDir: yield* makeTempDir })
      const { port } = new URL(daemon.url)
      const url = `${daemon.wsUrl}?token=${daemon.token}`

      // Headers begun, never finished.
      const halfOpen = yield* Effect.acquireRelease(
        Effect.async<ReturnType<typeof tcpConnect>>((resume) => {
          const socket = tcpConnect(Number(port), "127.0.0.1", () => resume(Effect.succeed(socket)))
        }),
        (socket) => Effect.sync(() => socket.destroy())
      )
      halfOpen.on("error", () => {})
      halfOpen.write("GET /v1/system/state HTTP/1.1\r\nHost: localhost\r\n")

      const reading = yield* connect(url)
      expect(yield* request(reading, { type: "hello", client_id: "firefox-reading" })).toMatchObject({
        type: "hello_ack"
      })
      const stalled = yield* connect(url)
      expect(yield* request(stalled, { type: "hello", client_id: "firefox-stalled" })).toMatchObject({
        type: "hello_ack"
      })
      stalled.socket.pause()

      const start = yield* Clock.currentTimeMillis
      expect(yield* daemon.stop("SIGTERM")).toBe(0)
      const elapsed = (yield* Clock.currentTimeMillis) - start
      expect(elapsed).toBeLessThan(BOUND_MS)

      expect((yield* closed(reading)).code).toBe(1001)
      const output = yield* daemon.output
      expect(output.match(/shutting down/g)).toHaveLength(1)
    }))
})
