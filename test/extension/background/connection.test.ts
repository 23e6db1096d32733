import { describe, expect, it } from "vitest"
import { Connection, PING_INTERVAL_MS, type SocketLike } from "../../../extension/src/background/connection.js"
import type { DaemonFrame } from "../../../extension/src/background/frames.js"
import type { ConnectionState } from "../../../extension/src/background/status.js"
import { recordingLog } from "./fakes.js"

class FakeSocket implements SocketLike {
  readyState = 0
  sent: Array<unknown> = []
  closedWith: number | null = null
  onopen: SocketLike["onopen"] = null
  onmessage: SocketLike["onmessage"] = null
  onclose: SocketLike["onclose"] = null
  onerror: SocketLike["onerror"] = null
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data))
  }
  close(code = 1000) {
    this.closedWith = code
  }
  open() {
    this.readyState = 1
    this.onopen?.({})
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: typeof frame === "string" ? frame : JSON.stringify(frame) })
  }
  drop(code: number) {
    this.readyState = 3
    this.onclose?.({ code, reason: "" })
  }
}

/** A hand-driven clock: timers run only when the test advances it. */
const harness = (tokenRefused = false) => {
  let now = 0
  const timers: Array<{ at: number; f: () => void; live: boolean }> = []
  const sockets: Array<FakeSocket> = []
  const states: Array<[ConnectionState, string | null]> = []
  const frames: Array<DaemonFrame> = []
  let ready = 0
  const connection = new Connection({
    openSocket: (url) => {
      const socket = new FakeSocket(url)
      sockets.push(socket)
      return socket
    },
    setTimer: (f, ms) => {
      const timer = { at: now + ms, f, live: true }
      timers.push(timer)
      return () => void (timer.live = false)
    },
    random: () => 0,
    now: () => now,
    log: recordingLog(),
    hello: () => ({ type: "hello", client_id: "chromium-abcdefgh", platforms: ["chatgpt"], version: "0.1.0" }),
    tokenRefused: async () => tokenRefused,
    onReady: () => void (ready += 1),
    onFrame: (frame) => void frames.push(frame),
    onState: (state, error) => void states.push([state, error])
  })
  const advance = async (ms: number) => {
    const until = now + ms
    for (;;) {
      const due = timers.filter((t) => t.live && t.at <= until).sort((a, b) => a.at - b.at)[0]
      if (due === undefined) break
      now = due.at
      due.live = false
      due.f()
      await Promise.resolve()
    }
    now = until
  }
  const liveTimers = () => timers.filter((t) => t.live).length
  return { connection, sockets, states, frames, advance, liveTimers, ready: () => ready }
}

const settings = { daemonUrl: "ws://127.0.0.1:4317/v1/browser/ws", token: "s3cret" }
const flush = () => new Promise((resolve) => setImmediate(resolve))

describe("Connection", () => {
  it("opens with ?token=, says hello, and is ready on hello_ack", () => {
    const h = harness()
    h.connection.start(settings)
    const socket = h.sockets[0]!
    expect(socket.url).toBe("ws://127.0.0.1:4317/v1/browser/ws?token=s3cret")
    socket.open()
    expect(socket.sent).toEqual([{
      type: "hello",
      client_id: "chromium-abcdefgh",
      platforms: ["chatgpt"],
      version: "0.1.0"
    }])
    expect(h.connection.send({ type: "ping" })).toBe(false)
    socket.receive({ type: "hello_ack", connection_id: "conn_1", server_time: 1 })
    expect(h.ready()).toBe(1)
    expect(h.states.at(-1)).toEqual(["connected", null])
    expect(h.connection.send({ type: "ping" })).toBe(true)
  })

  it("pings every 20 s while connected", async () => {
    const h = harness()
    h.connection.start(settings)
    const socket = h.sockets[0]!
    socket.open()
    socket.receive({ type: "hello_ack", connection_id: "conn_1", server_time: 1 })
    for (let i = 0; i < 3; i++) {
      await h.advance(PING_INTERVAL_MS)
      socket.receive({ type: "pong", ref: null, server_time: 2 })
    }
    expect(socket.sent.filter((f) => (f as { type: string }).type === "ping")).toHaveLength(3)
  })

  it("passes other frames on and ignores malformed ones without throwing", () => {
    const h = harness()
    h.connection.start(settings)
    const socket = h.sockets[0]!
    socket.open()
    socket.receive({ type: "hello_ack", connection_id: "conn_1", server_time: 1 })
    socket.receive("{oops")
    socket.receive({ type: "browser.proxy_delivery", tab_id: "x" })
    socket.receive({ type: "ack", ref: "fm-1" })
    expect(h.frames).toEqual([{ type: "ack", ref: "fm-1" }])
  })

  it("reconnects after a drop with growing, capped delays", async () => {
    const h = harness()
    h.connection.start(settings)
    h.sockets[0]!.open()
    h.sockets[0]!.receive({ type: "hello_ack", connection_id: "conn_1", server_time: 1 })
    h.sockets[0]!.drop(1006)
    await flush()
    expect(h.states.at(-1)?.[0]).toBe("reconnecting")
    // random() = 0: each delay is half its ceiling (250, 500, 1000 ms …).
    for (const [i, delay] of [250, 500, 1000, 2000].entries()) {
      await h.advance(delay - 1)
      expect(h.sockets).toHaveLength(i + 1)
      await h.advance(1)
      expect(h.sockets).toHaveLength(i + 2)
      h.sockets.at(-1)!.drop(1006)
      await flush()
    }
    // A successful hello resets the backoff.
    await h.advance(4000)
    h.sockets.at(-1)!.open()
    h.sockets.at(-1)!.receive({ type: "hello_ack", connection_id: "conn_2", server_time: 1 })
    expect(h.ready()).toBe(2)
    h.sockets.at(-1)!.drop(1001)
    await flush()
    const count = h.sockets.length
    await h.advance(250)
    expect(h.sockets).toHaveLength(count + 1)
  })

  it("stops at bad_token on close code 4401 or a refused upgrade, with no retry timer", async () => {
    const refusedByClose = harness()
    refusedByClose.connection.start(settings)
    refusedByClose.sockets[0]!.drop(4401)
    await flush()
    expect(refusedByClose.states.at(-1)?.[0]).toBe("bad_token")
    expect(refusedByClose.liveTimers()).toBe(0)

    const refusedUpgrade = harness(true)
    refusedUpgrade.connection.start(settings)
    refusedUpgrade.sockets[0]!.drop(1006)
    await flush()
    expect(refusedUpgrade.states.at(-1)?.[0]).toBe("bad_token")
    expect(refusedUpgrade.liveTimers()).toBe(0)
    // A wake-up does not start a loop either; new settings do.
    refusedUpgrade.connection.ensure()
    expect(refusedUpgrade.sockets).toHaveLength(1)
    refusedUpgrade.connection.start({ ...settings, token: "other" })
    expect(refusedUpgrade.sockets).toHaveLength(2)
  })

  it("does not connect without a token", () => {
    const h = harness()
    h.connection.start({ ...settings, token: "" })
    expect(h.sockets).toEqual([])
    expect(h.states.at(-1)?.[0]).toBe("bad_token")
  })

  it("takes a daemon that stopped answering as gone and reconnects", async () => {
    const h = harness()
    h.connection.start(settings)
    h.sockets[0]!.open()
    h.sockets[0]!.receive({ type: "hello_ack", connection_id: "conn_1", server_time: 1 })
    await h.advance(4 * PING_INTERVAL_MS)
    expect(h.sockets[0]!.closedWith).toBe(4000)
  })
})
