import { describe, expect, it } from "vitest"
import { TabTracker } from "../../../extension/src/background/tabs.js"
import type { PageReport } from "../../../extension/src/shared/messages.js"
import { memoryArea } from "./fakes.js"

const page = (conversation_id: string | null): PageReport => ({
  kind: "page",
  platform: "gemini",
  conversation_id,
  page_url: `https://gemini.google.com/app/${conversation_id ?? ""}`,
  page_title: "Gemini"
})

const setup = () => {
  const closed: Array<number> = []
  const tracker = new TabTracker(memoryArea(), (tabId) => void closed.push(tabId))
  return { closed, tracker }
}

describe("TabTracker", () => {
  it("closes a tab's conversation when the tab moves to another conversation or off any", async () => {
    const { closed, tracker } = setup()
    await tracker.page(3, page(null))
    await tracker.page(3, page("a"))
    await tracker.page(3, page("a"))
    expect(closed).toEqual([])
    await tracker.page(3, page("b"))
    expect(closed).toEqual([3])
    await tracker.page(3, page(null))
    expect(closed).toEqual([3, 3])
  })

  it("closes when a tab that showed a conversation is removed or leaves the site", async () => {
    const { closed, tracker } = setup()
    await tracker.page(4, page("a"))
    await tracker.page(5, page("b"))
    await tracker.page(6, page(null))
    await tracker.navigated(4, "https://gemini.google.com/app/a")
    expect(closed).toEqual([])
    await tracker.navigated(4, "")
    await tracker.removed(5)
    await tracker.removed(6)
    await tracker.removed(77)
    expect(closed).toEqual([4, 5])
  })
})
