// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { messageIdFor } from "../../../extension/src/content/core/messageId.js"
import { elapse, quietMs, startScript } from "./harness.js"
import { load, setUrl, sites } from "./sites.js"

beforeEach(() => {
  vi.useFakeTimers()
  sessionStorage.clear()
})
afterEach(() => {
  vi.useRealTimers()
})

describe.each(sites)("final replies on $adapter.platform", (site) => {
  const { adapter } = site

  it("does not report the history already on the page", async () => {
    load(site, "finished")
    const script = startScript(adapter)
    await elapse(quietMs * 3)
    expect(script.finals()).toEqual([])
    script.stop()
  })

  it("reports a reply streaming at load once it finishes, never a partial", async () => {
    load(site, "streaming")
    const script = startScript(adapter)
    const reply = Array.from(document.querySelectorAll(adapter.selectors.assistantMessage)).at(-1)!
    await elapse(quietMs * 3)
    expect(script.finals()).toEqual([]) // still generating, however long the text stays put
    site.setReplyText(reply, "The whole answer.")
    site.finishReply(document, reply)
    await elapse(quietMs - 200)
    expect(script.finals()).toEqual([])
    await elapse(400)
    expect(script.finals().map((f) => f.text)).toEqual(["The whole answer."])
    await elapse(quietMs * 3)
    expect(script.finals()).toHaveLength(1)
    const expectedId = site.historyId ?? messageIdFor(adapter, reply, site.conversationId, 0)
    expect(script.finals()[0]).toMatchObject({
      kind: "final_message",
      platform: adapter.platform,
      conversation_id: site.conversationId,
      message_id: expectedId,
      role: "assistant",
      page_url: site.url
    })
    script.stop()
  })

  it("reports a reply generated while the page is open once, after the quiet period", async () => {
    load(site, "finished")
    const script = startScript(adapter)
    await elapse(500)
    const reply = site.startReply(document, "r_new1")
    for (const chunk of ["Once", "Once upon", "Once upon a time."]) {
      await elapse(300)
      site.setReplyText(reply, chunk)
    }
    await elapse(quietMs * 2)
    expect(script.finals()).toEqual([]) // the stop button is still there
    site.finishReply(document, reply)
    await elapse(quietMs + 300)
    const finals = script.finals()
    expect(finals.map((f) => f.text)).toEqual(["Once upon a time."])
    expect(finals[0]?.message_id).toBe(
      site.historyId === null ? messageIdFor(adapter, reply, site.conversationId, 1) : "r_new1"
    )
    // the site re-mounts the reply (as React does): still reported once
    const parent = reply.parentElement!
    parent.replaceChild(reply.cloneNode(true), reply)
    await elapse(quietMs * 2)
    expect(script.finals()).toHaveLength(1)
    script.stop()
  })

  it("waits for the text to stay unchanged after generation ends", async () => {
    load(site, "finished")
    const script = startScript(adapter)
    const reply = site.startReply(document, "r_new2")
    await elapse(300)
    site.setReplyText(reply, "Part one")
    site.finishReply(document, reply)
    await elapse(1_000)
    site.setReplyText(reply, "Part one and two")
    await elapse(1_000)
    expect(script.finals()).toEqual([])
    await elapse(800)
    expect(script.finals().map((f) => f.text)).toEqual(["Part one and two"])
    script.stop()
  })

  it("does not report again after a reload of the tab", async () => {
    load(site, "finished")
    const first = startScript(adapter)
    const reply = site.startReply(document, "r_new3")
    site.setReplyText(reply, "Reported before the reload.")
    await elapse(200)
    site.finishReply(document, reply)
    await elapse(quietMs * 2)
    expect(first.finals()).toHaveLength(1)
    first.stop()
    // the reloaded page first shows the reply empty and then fills it in, still one report
    site.setReplyText(reply, "")
    const second = startScript(adapter)
    await elapse(200)
    site.setReplyText(reply, "Reported before the reload.")
    await elapse(quietMs * 2)
    expect(second.finals()).toEqual([])
    second.stop()
  })

  it("reports a new chat's first reply under the conversation id the site gives it meanwhile", async () => {
    load(site, "finished", site.newChatUrl)
    document.querySelector("#thread")!.replaceChildren()
    const script = startScript(adapter)
    expect(script.pages()[0]?.conversation_id).toBeNull()
    const reply = site.startReply(document, "r_first")
    site.setReplyText(reply, "First words")
    await elapse(300)
    history.replaceState(null, "", site.url) // the site names the conversation mid-stream
    site.setReplyText(reply, "First words of a new chat.")
    site.finishReply(document, reply)
    await elapse(quietMs + 300)
    expect(script.finals()).toMatchObject([{
      conversation_id: site.conversationId,
      text: "First words of a new chat."
    }])
    expect(script.pages().map((p) => p.conversation_id)).toEqual([null, site.conversationId])
    script.stop()
  })

  it("reports the page on load and on in-page navigation", async () => {
    load(site, "finished")
    const script = startScript(adapter)
    expect(script.pages()).toEqual([{
      kind: "page",
      platform: adapter.platform,
      conversation_id: site.conversationId,
      page_url: site.url,
      page_title: `${adapter.platform} fixture`
    }])
    const home = new URL("/", site.url).href
    history.pushState(null, "", home)
    document.querySelector("main, chat-window")?.replaceChildren() // the SPA re-renders
    await elapse(200)
    expect(script.pages().at(-1)).toMatchObject({ conversation_id: null, page_url: home })
    setUrl(site.url)
    window.dispatchEvent(new PopStateEvent("popstate"))
    expect(script.pages().at(-1)).toMatchObject({ conversation_id: site.conversationId, page_url: site.url })
    script.stop()
  })
})

describe("message ids", () => {
  it("hash conversation and position where the page has no id, the same on every scan", () => {
    const claude = sites[1]!
    load(claude, "finished")
    const reply = document.querySelector(claude.adapter.selectors.assistantMessage)!
    const id = messageIdFor(claude.adapter, reply, "conv-1", 3)
    expect(id).toMatch(/^claude-h[0-9a-z]+$/)
    expect(messageIdFor(claude.adapter, reply, "conv-1", 3)).toBe(id)
    expect(messageIdFor(claude.adapter, reply, "conv-1", 4)).not.toBe(id)
    expect(messageIdFor(claude.adapter, reply, "conv-2", 3)).not.toBe(id)
  })

  it("use the platform's own id where there is one", () => {
    for (const site of sites.filter((s) => s.historyId !== null)) {
      load(site, "finished")
      const reply = document.querySelector(site.adapter.selectors.assistantMessage)!
      expect(messageIdFor(site.adapter, reply, site.conversationId, 0)).toBe(site.historyId)
    }
  })
})

describe("reply text", () => {
  it("is the reply's own content, without the controls around it", () => {
    const [chatgpt, , gemini] = sites
    load(chatgpt!, "finished")
    const reply = document.querySelector(chatgpt!.adapter.selectors.assistantMessage)!
    reply.insertAdjacentHTML("afterbegin", "<button>Thought for 5s</button>")
    expect(chatgpt!.adapter.messageText!(reply)).toBe("A fixture is a fixed baseline.")
    load(gemini!, "finished")
    const response = document.querySelector(gemini!.adapter.selectors.assistantMessage)!
    expect(response.textContent).toContain("Like")
    expect(gemini!.adapter.messageText!(response)).toBe("Blue.")
  })
})
