import type { SiteAdapter } from "../core/adapter.js"

/** claude.ai: every selector and route the content script relies on. */
export const claude: SiteAdapter = {
  platform: "claude",
  routes: ["/chat/:id"],
  selectors: {
    // .font-claude-response on current builds, .font-claude-message on older ones
    assistantMessage: ".font-claude-response, .font-claude-message",
    userMessage: "[data-testid=\"user-message\"]",
    // the reply's container says it is streaming; the composer's send button becomes "Stop"
    generating: "button[aria-label=\"Stop response\"], [data-is-streaming=\"true\"]",
    composer: "div[contenteditable=\"true\"].ProseMirror",
    sendButton: "button[aria-label=\"Send message\"]",
    // the sign-in page (conversation routes redirect there when signed out)
    loggedOut: "input#email[type=\"email\"], [data-testid=\"login-form\"]"
  },
  // claude.ai's markup carries no message ids: the core hashes conversation + position
  messageId: () => null
}
