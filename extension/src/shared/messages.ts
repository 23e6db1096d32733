/**
 * Messages between a tab's content script and the background, over `runtime.sendMessage`
 * (content → background) and `tabs.sendMessage` (background → content). The background owns
 * the socket to the daemon and adds what only it knows (client id, tab id, frame ids).
 */

export type Platform = "chatgpt" | "claude" | "gemini"

/** Why a delivery failed, as the `reason` of `action_result`. */
export type DeliveryFailure =
  | "tab_not_found"
  | "conversation_mismatch"
  | "composer_not_found"
  | "composer_busy"
  | "send_failed"
  | "not_logged_in"

/** The page a tab shows: sent on load and on every in-page navigation. */
export interface PageReport {
  readonly kind: "page"
  readonly platform: Platform
  /** The platform's conversation id from the route, or null off a conversation (home, settings). */
  readonly conversation_id: string | null
  readonly page_url: string
  readonly page_title: string
}

/** An assistant reply that finished generating and stayed unchanged for the quiet period. */
export interface FinalMessageReport {
  readonly kind: "final_message"
  readonly platform: Platform
  readonly conversation_id: string
  /** The platform's own message id, or a stable hash of conversation + position. */
  readonly message_id: string
  readonly role: "assistant"
  readonly text: string
  readonly observed_at: number
  readonly page_url: string
  readonly page_title: string
}

export type ContentToBackground = PageReport | FinalMessageReport

/** Type `message_text` into the conversation shown in this tab and send it. */
export interface DeliverRequest {
  readonly kind: "deliver"
  readonly plan_id: string
  readonly conversation_id: string
  readonly message_text: string
  /** The whole delivery must answer within this, waiting for a busy composer included. */
  readonly timeout_ms: number
}

export type BackgroundToContent = DeliverRequest

export type DeliverResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: DeliveryFailure; readonly message?: string }
