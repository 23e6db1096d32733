// Each platform's fixture snapshots and the few DOM changes its site makes while a reply streams
// or a message is sent, so one set of tests runs against all three adapters.
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { chatgpt } from "../../../extension/src/content/adapters/chatgpt.js"
import { claude } from "../../../extension/src/content/adapters/claude.js"
import { gemini } from "../../../extension/src/content/adapters/gemini.js"
import type { SiteAdapter } from "../../../extension/src/content/core/adapter.js"

export type Snapshot = "finished" | "streaming" | "logged-out"

export interface SiteCase {
  readonly adapter: SiteAdapter
  readonly url: string
  readonly conversationId: string
  /** Where a new chat starts, before the site gives it a conversation route. */
  readonly newChatUrl: string
  /** The history reply's own id in the snapshots, or null where the site has none. */
  readonly historyId: string | null
  /** Appends an empty reply (with the given own id, where the site has ids) and shows generation. */
  readonly startReply: (doc: Document, id: string) => Element
  readonly setReplyText: (reply: Element, text: string) => void
  /** Ends generation: stop button back to send, streaming markers off. */
  readonly finishReply: (doc: Document, reply: Element) => void
  /** Puts a sent text into the thread as the site does for a user message. */
  readonly appendUser: (doc: Document, text: string) => void
}

const add = (doc: Document, parent: string, html: string): Element => {
  const holder = doc.createElement("div")
  holder.innerHTML = html.trim()
  const element = holder.firstElementChild as Element
  doc.querySelector(parent)?.appendChild(element)
  return element
}
const setText = (target: Element | null, text: string) => {
  if (target !== null) target.innerHTML = `<p>${text}</p>`
}

export const sites: ReadonlyArray<SiteCase> = [
  {
    adapter: chatgpt,
    url: "https://chatgpt.com/c/6790-abcd",
    conversationId: "6790-abcd",
    newChatUrl: "https://chatgpt.com/",
    historyId: "bbb-assistant-1",
    startReply: (doc, id) => {
      doc.querySelector("[data-testid=\"send-button\"]")?.setAttribute("data-testid", "stop-button")
      const turn = add(
        doc,
        "#thread",
        `<article><div data-message-author-role="assistant" data-message-id="${id}"><div class="markdown prose result-streaming"></div></div></article>`
      )
      return turn.firstElementChild as Element
    },
    setReplyText: (reply, text) => setText(reply.querySelector(".markdown"), text),
    finishReply: (doc, reply) => {
      reply.querySelector(".markdown")?.classList.remove("result-streaming")
      doc.querySelector("[data-testid=\"stop-button\"]")?.setAttribute("data-testid", "send-button")
    },
    appendUser: (doc, text) => {
      add(
        doc,
        "#thread",
        `<article><div data-message-author-role="user"><div class="whitespace-pre-wrap"></div></div></article>`
      )
        .querySelector(".whitespace-pre-wrap")!.textContent = text
    }
  },
  {
    adapter: claude,
    url: "https://claude.ai/chat/0f1e2d3c-4b5a",
    conversationId: "0f1e2d3c-4b5a",
    newChatUrl: "https://claude.ai/new",
    historyId: null,
    startReply: (doc) => {
      doc.querySelector("button[aria-label=\"Send message\"]")?.setAttribute("aria-label", "Stop response")
      const block = add(
        doc,
        "#thread",
        `<div data-test-render-count="1"><div data-is-streaming="true"><div class="font-claude-response"><div class="grid"></div></div></div></div>`
      )
      return block.querySelector(".font-claude-response") as Element
    },
    setReplyText: (reply, text) => setText(reply.querySelector(".grid"), text),
    finishReply: (doc, reply) => {
      reply.closest("[data-is-streaming]")?.setAttribute("data-is-streaming", "false")
      doc.querySelector("button[aria-label=\"Stop response\"]")?.setAttribute("aria-label", "Send message")
    },
    appendUser: (doc, text) => {
      add(doc, "#thread", `<div data-test-render-count="1"><div data-testid="user-message"><p></p></div></div>`)
        .querySelector("p")!.textContent = text
    }
  },
  {
    adapter: gemini,
    url: "https://gemini.google.com/app/8a7b6c5d",
    conversationId: "8a7b6c5d",
    newChatUrl: "https://gemini.google.com/app",
    historyId: "r_111",
    startReply: (doc, id) => {
      const button = doc.querySelector("button.send-button")
      button?.classList.add("stop")
      button?.setAttribute("aria-label", "Stop response")
      return add(
        doc,
        "#thread",
        `<model-response><message-content id="message-content-id-${id}"><div class="markdown"></div></message-content></model-response>`
      )
    },
    setReplyText: (reply, text) => setText(reply.querySelector(".markdown"), text),
    finishReply: (doc) => {
      const button = doc.querySelector("button.send-button")
      button?.classList.remove("stop")
      button?.setAttribute("aria-label", "Send message")
    },
    appendUser: (doc, text) => {
      add(doc, "#thread", `<user-query><p class="query-text-line"></p></user-query>`).querySelector("p")!.textContent =
        text
    }
  }
]

/** happy-dom's way to put the page at a URL without loading it. */
export const setUrl = (url: string): void =>
  (window as unknown as { happyDOM: { setURL: (url: string) => void } }).happyDOM.setURL(url)

// a path, not a URL: under happy-dom `URL` is the page's, which refuses file: URLs
const htmlDir = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "html")

/** Shows a snapshot of the site at `url` in the test's document. */
export const load = (site: SiteCase, snapshot: Snapshot, url: string = site.url): void => {
  setUrl(url)
  document.title = `${site.adapter.platform} fixture`
  document.body.innerHTML = readFileSync(join(htmlDir, `${site.adapter.platform}-${snapshot}.html`), "utf8")
}
