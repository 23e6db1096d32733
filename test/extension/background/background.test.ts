import { describe, expect, it, vi } from "vitest"
import { startBackground } from "../../../extension/src/background/background.js"
import type { SocketLike } from "../../../extension/src/background/connection.js"
import type { FinalMessageReport } from "../../../extension/src/shared/messages.js"
import { fakeTabs, memoryArea, recordingLog } from "./fakes.js"

class FakeSocket implements SocketLike {
  readyState = 0
  readonly sent: Array<Record<string, unknown>> = []
  onopen: SocketLike["onopen"] = null
  onmessage: SocketLike["onmessage"] = null
  onclose: SocketLike["onclose"] = null
  onerror: SocketLike["onerror"] = null
  send(data: string) {
    this.sent.push(JSON.parse(data))
  }
  close() {
    this.readyState = 3
  }
  /** Opens and answers `hello`. */
  accept() {
    this.readyState = 1
    this.onopen?.({})
    this.receive({ type: "hello_ack", connection_id: "conn_1", server_time: 1 })
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) })
  }
  drop() {
    this.readyState = 3
    this.onclose?.({ code: 1006, reason: "" })
  }
}

const report = (n: number): FinalMessageReport => ({
  kind: "final_message",
  platform: "claude",
  conversation_id: "c-1",
  message_id: `m-${n}`,
  role: "assistant",
  text: `reply ${n}`,
  observed_at: 1_700_000_000_000,
  page_url: "https://claude.ai/chat/c-1",
  page_title: "Claude"
})

const setup = async () => {
  const sockets: Array<FakeSocket> = []
  const local = memoryArea({ settings: { daemonUrl: "ws://127.0.0.1:4317/v1/browser/ws", token: "t" } })
  const tabs = fakeTabs({ 9: { url: "https://claude.ai/chat/c-1", answer: () => ({ ok: true }) } })
  const background = await startBackground({
    local,
    session: memoryArea(),
    tabs,
    clientId: "chromium-abcdefgh",
    version: "0.1.0",
    log: recordingLog(),
    openSocket: () => {
      const socket = new FakeSocket()
      sockets.push(socket)
      return socket
    },
    fetch: async () => ({ status: 200 })
  })
  return { background, sockets, tabs, local }
}

const finalMessages = (socket: FakeSocket) =>
  socket.sent.filter((f) => f["type"] === "browser.final_message").map((f) => f["message_id"])

describe("the background", () => {
  it("sends reports kept while disconnected after hello, in order, with the tab id", async () => {
    const { background, sockets } = await setup()
    for (const n of [1, 2, 3]) expect(await background.contentMessage(report(n), 9)).toEqual({ ok: true })
    const socket = sockets[0]!
    socket.accept()
    expect(socket.sent[0]).toMatchObject({
      type: "hello",
      client_id: "chromium-abcdefgh",
      platforms: ["chatgpt", "claude", "gemini"]
    })
    expect(finalMessages(socket)).toEqual(["m-1", "m-2", "m-3"])
    expect(socket.sent[1]).toMatchObject({ tab_id: 9, conversation_id: "c-1", role: "assistant", text: "reply 1" })
  })

  it("resends what was not acknowledged after a reconnect, and only that", async () => {
    const { background, sockets } = await setup()
    sockets[0]!.accept()
    for (const n of [1, 2, 3]) await background.contentMessage(report(n), 9)
    const ids = sockets[0]!.sent.filter((f) => f["type"] === "browser.final_message").map((f) => f["id"])
    sockets[0]!.receive({
      type: "ack",
      ref: ids[1],
      message_id: "m-2",
      local_conversation_id: "lc_1",
      duplicate: false
    })
    // The daemon refused m-3 as malformed: sending it again cannot help.
    sockets[0]!.receive({ type: "error", ref: ids[2], error: "invalid_frame", message: "bad" })
    await background.outbox.flushed()
    sockets[0]!.drop()
    await background.settingsChanged() // reconnects at once instead of after the backoff
    sockets.at(-1)!.accept()
    expect(finalMessages(sockets.at(-1)!)).toEqual(["m-1"])
  })

  it("answers a delivery with an action_result and ignores malformed content messages", async () => {
    const { background, sockets, tabs } = await setup()
    const socket = sockets[0]!
    socket.accept()
    expect(await background.contentMessage({ kind: "final_message", platform: "claude" }, 9)).toEqual({ ok: false })
    expect(await background.contentMessage(report(1), undefined)).toEqual({ ok: false })
    socket.receive({
      type: "browser.proxy_delivery",
      request_id: "req_1",
      plan_id: "plan_1",
      platform: "claude",
      conversation_id: "c-1",
      tab_id: 9,
      message_text: "[renewal] go on",
      timeout_ms: 5000
    })
    await vi.waitFor(() =>
      expect(socket.sent.at(-1)).toMatchObject({
        type: "action_result",
        request_id: "req_1",
        accepted: true,
        failed: false
      })
    )
    expect(tabs.sent).toHaveLength(1)
  })

  it("closes a tab's conversation on the daemon when the tab goes away", async () => {
    const { background, sockets } = await setup()
    sockets[0]!.accept()
    await background.contentMessage({
      kind: "page",
      platform: "claude",
      conversation_id: "c-1",
      page_url: "https://claude.ai/chat/c-1",
      page_title: "t"
    }, 9)
    await background.tabRemoved(9)
    await background.outbox.flushed()
    expect(sockets[0]!.sent.at(-1)).toMatchObject({ type: "browser.tab_closed", tab_id: 9 })
  })
})
