import { describe, expect, layer } from "@effect/vitest"
import { Duration, Effect, TestServices } from "effect"
import { randomBytes } from "node:crypto"
import { request as httpRequest } from "node:http"
import type { Socket } from "node:net"
import { ClientRegistry } from "../../src/layers/bridge/ClientRegistry.js"
import { helloClient, ServerTest, TOKEN, wsUrl } from "./harness.js"
import { closed, connect, next, request, send } from "./wsClient.js"

/** A WebSocket handshake by hand, so a test can write frames byte by byte. */
const rawUpgrade = (url: string) =>
  Effect.acquireRelease(
    Effect.async<Socket>((resume) => {
      const req = httpRequest(url.replace(/^ws/, "http"), {
        headers: {
          connection: "Upgrade",
          upgrade: "websocket",
          "sec-websocket-key": randomBytes(16).toString("base64"),
          "sec-websocket-version": "13"
        }
      })
      req.on("upgrade", (_res, socket) => resume(Effect.succeed(socket)))
      req.end()
    }),
    (socket) => Effect.sync(() => socket.destroy())
  )

/** The header of a masked text frame that announces `length` bytes of payload. */
const frameHeader = (length: number) => {
  const header = Buffer.alloc(14)
  header[0] = 0x81
  header[1] = 0x80 | 127
  header.writeBigUInt64BE(BigInt(length), 2)
  randomBytes(4).copy(header, 10)
  return header
}

/** The close code of the first frame the daemon writes, when it is a close frame. */
const firstCloseCode = (socket: Socket) =>
  Effect.async<number | null>((resume) => {
    socket.once("data", (data: Buffer) => resume(Effect.succeed(data[0] === 0x88 ? data.readUInt16BE(2) : null)))
  })

const statusOf = (client_id: string) =>
  Effect.map(ClientRegistry, (registry) => registry.clients).pipe(
    Effect.flatten,
    Effect.map((clients) => clients.find((c) => c.client_id === client_id)?.status)
  )

const deepJson = (depth: number) => "[".repeat(depth) + "]".repeat(depth)

layer(ServerTest)("bridge limits", (it) => {
  describe("incoming frames", () => {
    it.scoped("an oversized frame is cut with 1009 when its header arrives, before its payload is sent", () =>
      Effect.gen(function*() {
        const socket = yield* rawUpgrade(yield* wsUrl(`?token=${TOKEN}`))
        // 64 MiB announced, 1 KiB sent: the daemon must not wait for (or hold) the rest.
        socket.write(Buffer.concat([frameHeader(64 * 1024 * 1024), randomBytes(1024)]))
        expect(yield* firstCloseCode(socket)).toBe(1009)
      }))

    it.scoped("a frame nested 100,000 levels deep gets invalid_frame with its id, and the connection goes on", () =>
      Effect.gen(function*() {
        const { client } = yield* helloClient("deep")
        const cases = [
          `{"type":"browser.final_message","id":"deep-1","text":${deepJson(100_000)}}`,
          `{"id":"deep-2","type":"ping","x":${deepJson(100_000)}`,
          `{"type":"ping","payload":{"a":${deepJson(40)}},"id":7}`
        ]
        const refs: Array<unknown> = []
        for (const text of cases) {
          const answer = yield* request(client, text)
          expect(answer).toMatchObject({ type: "error", error: "invalid_frame" })
          refs.push(answer.ref)
        }
        expect(refs).toEqual(["deep-1", "deep-2", 7])
        expect(yield* request(client, { type: "ping", id: "after" })).toMatchObject({ type: "pong", ref: "after" })
      }))

    it.scoped("text that is not JSON still has its id read back", () =>
      Effect.gen(function*() {
        const client = yield* connect(yield* wsUrl(`?token=${TOKEN}`))
        expect(yield* request(client, "{\"id\":\"broken-1\",\"type\":\"hello\",\"client_id\":")).toMatchObject({
          type: "error",
          error: "invalid_frame",
          ref: "broken-1"
        })
      }))
  })

  describe("outgoing frames", () => {
    it.scoped("a client that stops reading is dropped with 1013 once its unsent frames pass the bound", () =>
      Effect.gen(function*() {
        const { client } = yield* helloClient("sleepy")
        client.socket.pause()
        // Each pong echoes a ~900 KB id: 40 of them are far more than the 8 MiB bound plus the
        // kernel's buffers.
        const id = "i".repeat(900_000)
        for (let i = 0; i < 40; i++) yield* send(client, { type: "ping", id })
        // Dropping makes the client lost at once; wait for that (in real time) before reading again.
        for (let i = 0; i < 400 && (yield* statusOf("sleepy")) !== "lost"; i++) {
          yield* TestServices.provideLive(Effect.sleep(Duration.millis(50)))
        }
        client.socket.resume()
        const close = yield* closed(client)
        expect(close).toEqual({ code: 1013, reason: "the client does not read its frames" })
        let pongs = 0
        for (;;) {
          const frame = yield* next(client).pipe(Effect.timeoutOption(0))
          if (frame._tag === "None") break
          pongs++
        }
        expect(pongs).toBeLessThan(40)
      }))
  })
})
