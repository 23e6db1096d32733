import browser from "webextension-polyfill"
import type { BackgroundToContent, ContentToBackground } from "../../shared/messages.js"
import type { SiteAdapter } from "./adapter.js"
import { type ContentPort, startContentScript } from "./contentScript.js"

const isDeliverRequest = (message: unknown): message is BackgroundToContent =>
  typeof message === "object" && message !== null && (message as { kind?: unknown }).kind === "deliver"

const retryDelaysMs = [500, 1_000, 2_000, 4_000, 8_000]

/**
 * The hand-over to the background fails while it is (re)starting, e.g. an extension update. A
 * final reply exists nowhere else until the background's outbox holds it, so it is retried; a
 * page report is not, the next navigation or title change sends a fresh one.
 */
const sendToBackground = (message: ContentToBackground, attempt = 0): void => {
  browser.runtime.sendMessage(message).catch(() => {
    const delay = retryDelaysMs[attempt]
    if (message.kind === "final_message" && delay !== undefined) {
      setTimeout(() => sendToBackground(message, attempt + 1), delay)
    }
  })
}

const browserPort: ContentPort = {
  send: (message) => sendToBackground(message),
  onDeliver: (handler) => {
    browser.runtime.onMessage.addListener((message: unknown) =>
      isDeliverRequest(message) ? handler(message) : undefined
    )
  }
}

const started = "__baaConductorContent"

/** The entry of each site's content script; injected twice (an extension reload), it runs once. */
export const runContentScript = (adapter: SiteAdapter): void => {
  const scope = globalThis as { [started]?: boolean }
  if (scope[started] === true) return
  scope[started] = true
  startContentScript(adapter, browserPort, document)
}
