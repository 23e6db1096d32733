import type { Platform } from "../../shared/messages.js"

/**
 * Everything the content script knows about one chat site. Each site's file under `adapters/`
 * fills this in, so when a site changes its markup or routes the fix is in that one file.
 */
export interface SiteAdapter {
  readonly platform: Platform
  /**
   * Conversation routes, matched against the whole path; `:id` is the conversation id, any other
   * `:name` matches one segment (e.g. `/g/:gizmo/c/:id`).
   */
  readonly routes: ReadonlyArray<string>
  readonly selectors: {
    /** Each assistant reply, one element per reply, in thread order. */
    readonly assistantMessage: string
    /** Each message the user sent, to confirm a delivery appeared in the thread. */
    readonly userMessage: string
    /** Present while a reply is being generated (a stop button, a streaming marker). */
    readonly generating: string
    /** The composer: a textarea, or a contenteditable editor (ProseMirror, Quill). */
    readonly composer: string
    readonly sendButton: string
    /** Present only when nobody is signed in (a login button, a sign-in form). */
    readonly loggedOut: string
  }
  /** The platform's own id for a reply, when its markup carries one. */
  readonly messageId: (message: Element) => string | null
  /** The reply's rendered text; defaults to the element's text. */
  readonly messageText?: (message: Element) => string
}
