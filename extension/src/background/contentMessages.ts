/** Checks what a content script sent before the background acts on it. */
import type { ContentToBackground } from "../shared/messages.js"
import { PLATFORMS } from "./frames.js"

const str = (v: unknown): v is string => typeof v === "string"

export const asContentMessage = (message: unknown): ContentToBackground | null => {
  if (typeof message !== "object" || message === null) return null
  const m = message as Record<string, unknown>
  if (!PLATFORMS.includes(m["platform"] as never) || !str(m["page_url"]) || !str(m["page_title"])) return null
  if (m["kind"] === "page" && (m["conversation_id"] === null || str(m["conversation_id"]))) {
    return message as ContentToBackground
  }
  if (
    m["kind"] === "final_message" &&
    str(m["conversation_id"]) &&
    m["conversation_id"] !== "" &&
    str(m["message_id"]) &&
    m["message_id"] !== "" &&
    m["role"] === "assistant" &&
    str(m["text"]) &&
    typeof m["observed_at"] === "number"
  ) {
    return message as ContentToBackground
  }
  return null
}
