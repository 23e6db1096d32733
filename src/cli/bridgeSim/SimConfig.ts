import type { Redacted } from "effect"

export type DeliveryMode = "accept" | "reject" | "silent"

/** Everything `bridge-sim` was told on its command line. */
export interface SimConfig {
  readonly url: string
  readonly token: Redacted.Redacted<string>
  readonly clientId: string
  readonly platform: string
  readonly mode: DeliveryMode
  readonly rejectReason: string
  /** Texts of `--reply`, sent in order. */
  readonly replies: ReadonlyArray<string>
  /** A file of JSON lines, each a partial `browser.final_message`; `-` is stdin. */
  readonly file: string | null
  readonly conversationId: string
  readonly tabId: number
  readonly pageUrl: string | null
  readonly messageId: string | null
  /** Exit once every reply has its answer, instead of staying connected. */
  readonly exitAfterReplies: boolean
}

const PAGE_URLS: Record<string, (conversationId: string) => string> = {
  chatgpt: (id) => `https://chatgpt.com/c/${id}`,
  claude: (id) => `https://claude.ai/chat/${id}`,
  gemini: (id) => `https://gemini.google.com/app/${id}`
}

/** `http://host:port` (or `ws://…`) → the bridge's WebSocket URL. */
export const socketUrl = (url: string): string => {
  const parsed = new URL(url)
  parsed.protocol = parsed.protocol === "https:" || parsed.protocol === "wss:" ? "wss:" : "ws:"
  parsed.pathname = "/v1/browser/ws"
  return parsed.toString()
}

/**
 * A `browser.final_message` for the `n`th reply (from 1): the flags fill in whatever the
 * reply does not say itself.
 */
export const replyFrame = (
  config: SimConfig,
  n: number,
  now: number,
  reply: Readonly<Record<string, unknown>>
): Record<string, unknown> => {
  const conversationId = typeof reply.conversation_id === "string" ? reply.conversation_id : config.conversationId
  const platform = typeof reply.platform === "string" ? reply.platform : config.platform
  const messageId = config.messageId === null
    ? `msg_sim_${now}_${n}`
    : n === 1
    ? config.messageId
    : `${config.messageId}-${n}`
  return {
    type: "browser.final_message",
    id: `reply-${n}`,
    platform,
    conversation_id: conversationId,
    message_id: messageId,
    role: "assistant",
    observed_at: now,
    page_url: config.pageUrl ?? PAGE_URLS[platform]?.(conversationId) ?? null,
    page_title: null,
    tab_id: config.tabId,
    ...reply
  }
}
