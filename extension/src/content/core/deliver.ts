import type { DeliverRequest, DeliverResult, DeliveryFailure } from "../../shared/messages.js"
import type { SiteAdapter } from "./adapter.js"
import { fillComposer, isDisabled } from "./composer.js"
import { conversationIdOf } from "./route.js"
import { normalized, visibleText } from "./text.js"
import { waitUntil } from "./wait.js"

export interface DeliveryOptions {
  /** A slow re-check for changes that are not DOM mutations; mutations are seen at once. */
  readonly pollMs: number
  /** How long the composer may take to render (a tab just restored or navigated). */
  readonly composerMs: number
  /** How long the send button may stay disabled once the text is in. */
  readonly sendReadyMs: number
  /** How long the sent message may take to show up in the thread. */
  readonly confirmMs: number
  readonly now: () => number
}

export const defaultDeliveryOptions: DeliveryOptions = {
  pollMs: 500,
  composerMs: 3_000,
  sendReadyMs: 2_000,
  confirmMs: 5_000,
  now: () => Date.now()
}

const fail = (reason: DeliveryFailure, message: string): DeliverResult => ({ ok: false, reason, message })

/** Long messages are often shown folded; their start is enough to recognise them. */
const fingerprint = (text: string): string => normalized(text).slice(0, 120)

const sentCopies = (adapter: SiteAdapter, doc: Document, text: string): number =>
  Array.from(doc.querySelectorAll(adapter.selectors.userMessage))
    .filter((message) => normalized(visibleText(message)).includes(fingerprint(text))).length

/**
 * Types `message_text` into this tab's conversation and sends it. The answer must reach the
 * daemon within `timeout_ms`, so every wait shares one deadline, and waiting out a generating
 * reply may use at most what the typing, sending and confirming still leave of it.
 */
export const deliver = async (
  adapter: SiteAdapter,
  doc: Document,
  request: DeliverRequest,
  options: DeliveryOptions = defaultDeliveryOptions
): Promise<DeliverResult> => {
  const { selectors } = adapter
  const start = options.now()
  const deadline = start + request.timeout_ms - Math.min(1_000, request.timeout_ms / 10)
  const remaining = () => Math.max(0, deadline - options.now())
  const find = <E extends Element>(selector: string) => doc.querySelector<E>(selector)
  const until = (ready: () => boolean, ms: number) => waitUntil(doc, ready, ms, options.pollMs)

  // Before the route check: a signed-out site often redirects off the conversation.
  if (find(selectors.loggedOut) !== null) return fail("not_logged_in", "the site shows its sign-in page")
  const shown = conversationIdOf(adapter, doc.location.href)
  if (shown !== request.conversation_id) {
    return fail(
      "conversation_mismatch",
      `the tab shows ${shown === null ? "no conversation" : `conversation ${shown}`}`
    )
  }
  const afterBusy = Math.min(options.sendReadyMs + options.confirmMs, request.timeout_ms / 2)
  const idle = await until(() => find(selectors.generating) === null, Math.max(0, remaining() - afterBusy))
  if (!idle) return fail("composer_busy", "a reply was still being generated")
  const present = await until(() => find(selectors.composer) !== null, Math.min(options.composerMs, remaining()))
  const composer = find<HTMLElement>(selectors.composer)
  if (!present || composer === null) return fail("composer_not_found", "no composer on the page")

  const before = sentCopies(adapter, doc, request.message_text)
  if (!fillComposer(composer, request.message_text)) return fail("send_failed", "the composer did not take the text")
  const ready = await until(() => {
    const button = find(selectors.sendButton)
    return button !== null && !isDisabled(button)
  }, Math.min(options.sendReadyMs, remaining()))
  const button = find<HTMLElement>(selectors.sendButton)
  if (!ready || button === null) {
    return fail("send_failed", button === null ? "no send button" : "the send button stayed disabled")
  }
  button.click()
  const appeared = await until(
    () => sentCopies(adapter, doc, request.message_text) > before,
    Math.min(options.confirmMs, remaining())
  )
  return appeared ? { ok: true } : fail("send_failed", "the sent message did not appear in the thread")
}
