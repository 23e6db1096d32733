import { describe, expect, it } from "vitest"
import { parseDaemonFrame } from "../../../extension/src/background/frames.js"

const delivery = {
  type: "browser.proxy_delivery",
  request_id: "req_1",
  plan_id: "plan_job_1",
  platform: "claude",
  conversation_id: "c-1",
  organization_id: null,
  tab_id: 12,
  page_url: "https://claude.ai/chat/c-1",
  page_title: "Chat",
  assistant_message_id: "m-1",
  message_text: "[renewal] hi",
  timeout_ms: 20000
}

describe("parseDaemonFrame", () => {
  it("accepts every frame the daemon sends", () => {
    for (
      const frame of [
        { type: "hello_ack", connection_id: "conn_1", server_time: 1 },
        { type: "ack", ref: "fm-1", message_id: "m", local_conversation_id: "lc_1", duplicate: false },
        { type: "ack", ref: "tc-1", tab_id: 3, deactivated_links: 1 },
        { type: "pong", ref: null, server_time: 1 },
        { type: "error", ref: null, error: "invalid_frame", message: "bad" },
        delivery
      ]
    ) {
      expect(parseDaemonFrame(JSON.stringify(frame))).toEqual({ ok: true, frame })
    }
  })

  it("reports malformed frames instead of throwing", () => {
    const cases: Array<[unknown, string]> = [
      [new ArrayBuffer(2), "not a text frame"],
      ["{not json", "not JSON"],
      ["[1,2]", "not an object"],
      ["null", "not an object"],
      [JSON.stringify({ type: "surprise" }), "unknown type"],
      [JSON.stringify({ connection_id: "x" }), "unknown type"],
      [JSON.stringify({ ...delivery, tab_id: -1 }), "bad field tab_id"],
      [JSON.stringify({ ...delivery, tab_id: 1.5 }), "bad field tab_id"],
      [JSON.stringify({ ...delivery, platform: "bing" }), "bad field platform"],
      [JSON.stringify({ ...delivery, message_text: 3 }), "bad field message_text"],
      [JSON.stringify({ ...delivery, plan_id: undefined }), "bad field plan_id"],
      [JSON.stringify({ type: "error", ref: {}, error: "x" }), "bad field ref"]
    ]
    for (const [data, problem] of cases) {
      const parsed = parseDaemonFrame(data)
      expect(parsed.ok).toBe(false)
      if (!parsed.ok) expect(parsed.problem).toContain(problem)
    }
  })

  it("gives an ack without ref a null ref", () => {
    expect(parseDaemonFrame(JSON.stringify({ type: "ack" }))).toEqual({ ok: true, frame: { type: "ack", ref: null } })
  })
})
