import type { SiteAdapter } from "../core/adapter.js"
import { visibleText } from "../core/text.js"

/** chatgpt.com: every selector and route the content script relies on. */
export const chatgpt: SiteAdapter = {
  platform: "chatgpt",
  // a custom GPT's or a project's conversation lives under /g/<gizmo>/c/<id>
  routes: ["/c/:id", "/g/:gizmo/c/:id"],
  selectors: {
    assistantMessage: "[data-message-author-role=\"assistant\"][data-message-id]",
    userMessage: "[data-message-author-role=\"user\"]",
    generating: "[data-testid=\"stop-button\"]",
    // the ProseMirror editor carries the id; older builds used a <textarea> with it
    composer: "#prompt-textarea",
    sendButton: "[data-testid=\"send-button\"]",
    loggedOut: "[data-testid=\"login-button\"]"
  },
  messageId: (message) => message.getAttribute("data-message-id"),
  // the reply's markdown only, not the "Thought for 5s" toggles and tool notes around it
  messageText: (message) => {
    const parts = Array.from(message.querySelectorAll(".markdown"))
    return parts.length > 0 ? parts.map(visibleText).join("\n\n") : visibleText(message)
  }
}
