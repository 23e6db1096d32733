import type { SiteAdapter } from "../core/adapter.js"
import { visibleText } from "../core/text.js"

const contentIdPrefix = "message-content-id-"

/** gemini.google.com: every selector and route the content script relies on. */
export const gemini: SiteAdapter = {
  platform: "gemini",
  // /u/<n>/ when signed in to more than one Google account; Gems chats under /gem/<gem>/
  routes: ["/app/:id", "/u/:account/app/:id", "/gem/:gem/:id", "/u/:account/gem/:gem/:id"],
  selectors: {
    assistantMessage: "model-response",
    userMessage: "user-query",
    // the send button turns into the stop button while a reply is generated
    generating: "button.send-button.stop, button[aria-label=\"Stop response\"]",
    composer: "rich-textarea .ql-editor[contenteditable=\"true\"]",
    sendButton: "button.send-button:not(.stop), button[aria-label=\"Send message\"]",
    loggedOut: "a[href^=\"https://accounts.google.com/ServiceLogin\"]"
  },
  // <message-content id="message-content-id-r_…"> carries the response id
  messageId: (message) => {
    const id = message.querySelector(`message-content[id^="${contentIdPrefix}"]`)?.id.slice(contentIdPrefix.length)
    return id !== undefined && id.length > 0 ? id : null
  },
  messageText: (message) => {
    const content = message.querySelector("message-content")
    return visibleText(content ?? message)
  }
}
