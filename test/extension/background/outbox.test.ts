import { describe, expect, it } from "vitest"
import type { FinalMessageFrame } from "../../../extension/src/background/frames.js"
import { Outbox, OUTBOX_KEY } from "../../../extension/src/background/outbox.js"
import { memoryArea, recordingLog } from "./fakes.js"

const frame = (n: number): FinalMessageFrame => ({
  type: "browser.final_message",
  id: `fm-${n}`,
  platform: "chatgpt",
  conversation_id: "conv-1",
  message_id: `msg-${n}`,
  role: "assistant",
  text: `reply ${n}`,
  observed_at: 1_700_000_000_000 + n,
  page_url: "https://chatgpt.com/c/conv-1",
  page_title: "Chat",
  tab_id: 7
})

describe("Outbox", () => {
  it("keeps frames in order until their ack arrives, and persists what is left", async () => {
    const area = memoryArea()
    const outbox = new Outbox(area, recordingLog())
    await outbox.load()
    for (const n of [1, 2, 3]) await outbox.add(frame(n))
    expect(await outbox.settle("fm-2")).toBe(true)
    expect(await outbox.settle("fm-unknown")).toBe(false)
    expect(await outbox.settle(null)).toBe(false)
    expect(outbox.pending().map((f) => f.id)).toEqual(["fm-1", "fm-3"])
    await outbox.flushed()
    expect((area.data.get(OUTBOX_KEY) as Array<FinalMessageFrame>).map((f) => f.id)).toEqual(["fm-1", "fm-3"])
  })

  it("gives a restarted background every unacknowledged frame, oldest first", async () => {
    const area = memoryArea()
    const first = new Outbox(area, recordingLog())
    await first.load()
    for (const n of [1, 2, 3]) await first.add(frame(n))
    await first.settle("fm-1")
    await first.flushed()

    const afterRestart = new Outbox(area, recordingLog())
    await afterRestart.load()
    expect(afterRestart.pending().map((f) => f.id)).toEqual(["fm-2", "fm-3"])
  })

  it("drops the oldest frames past its bound, with a warning", async () => {
    const log = recordingLog()
    const outbox = new Outbox(memoryArea(), log, 3)
    await outbox.load()
    for (const n of [1, 2, 3, 4, 5]) await outbox.add(frame(n))
    expect(outbox.pending().map((f) => f.id)).toEqual(["fm-3", "fm-4", "fm-5"])
    expect(log.warnings).toHaveLength(2)
    expect(String(log.warnings[0]![0])).toContain("outbox is full")
  })

  it("starts empty when storage holds something that is not a list", async () => {
    const outbox = new Outbox(memoryArea({ [OUTBOX_KEY]: "garbage" }), recordingLog())
    await outbox.load()
    expect(outbox.pending()).toEqual([])
  })
})
