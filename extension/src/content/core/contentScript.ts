import type { ContentToBackground, DeliverRequest, DeliverResult, PageReport } from "../../shared/messages.js"
import type { SiteAdapter } from "./adapter.js"
import { defaultDeliveryOptions, deliver, type DeliveryOptions } from "./deliver.js"
import { finalReplyDetector } from "./finalReplies.js"
import { reportedIds } from "./reportedIds.js"
import { conversationIdOf } from "./route.js"

/** How the content script talks to the background; the browser one is in `browserPort.ts`. */
export interface ContentPort {
  readonly send: (message: ContentToBackground) => void
  readonly onDeliver: (handler: (request: DeliverRequest) => Promise<DeliverResult>) => void
}

export interface ContentOptions {
  readonly quietMs: number
  /** Mutations come in bursts while a reply streams; scan at most this often. */
  readonly scanThrottleMs: number
  readonly storage: Storage | null
  readonly delivery: DeliveryOptions
}

export const defaultContentOptions = (): ContentOptions => ({
  quietMs: 1_500,
  scanThrottleMs: 150,
  storage: sessionStorageOrNull(),
  delivery: defaultDeliveryOptions
})

const sessionStorageOrNull = (): Storage | null => {
  try {
    return globalThis.sessionStorage ?? null
  } catch {
    return null
  }
}

/**
 * Runs one site's adapter in a page: reports the page and each final reply to the background,
 * and answers its delivery requests one at a time (two renewals typed at once would interleave).
 */
export const startContentScript = (
  adapter: SiteAdapter,
  port: ContentPort,
  doc: Document,
  options: ContentOptions = defaultContentOptions()
) => {
  const now = options.delivery.now
  const conversationId = () => conversationIdOf(adapter, doc.location.href)
  const pageReport = (): PageReport => ({
    kind: "page",
    platform: adapter.platform,
    conversation_id: conversationId(),
    page_url: doc.location.href,
    page_title: doc.title
  })

  const detector = finalReplyDetector(adapter, doc, reportedIds(options.storage), {
    quietMs: options.quietMs,
    now,
    conversationId
  }, (reply) =>
    port.send({
      kind: "final_message",
      platform: adapter.platform,
      conversation_id: reply.conversationId,
      message_id: reply.messageId,
      role: "assistant",
      text: reply.text,
      observed_at: now(),
      page_url: doc.location.href,
      page_title: doc.title
    }))

  // An isolated world cannot patch the page's history.pushState, but every in-page navigation
  // changes the DOM (the thread, the title), so the observer that watches replies also notices
  // a new URL or title at no extra cost; popstate and pageshow (back/forward cache) cover the rest.
  let lastPage = ""
  const reportPageIfChanged = () => {
    const page = pageReport()
    const key = `${page.page_url}\u0000${page.page_title}`
    if (key === lastPage) return
    lastPage = key
    port.send(page)
  }

  let scanTimer: ReturnType<typeof setTimeout> | undefined
  const observer = new MutationObserver(() => {
    reportPageIfChanged()
    detector.noteMutation()
    scanTimer ??= setTimeout(() => {
      scanTimer = undefined
      detector.scan()
    }, options.scanThrottleMs)
  })
  observer.observe(doc.documentElement, { subtree: true, childList: true, characterData: true, attributes: true })
  const onHistory = () => reportPageIfChanged()
  const onShow = () => {
    lastPage = ""
    reportPageIfChanged()
  }
  doc.defaultView?.addEventListener("popstate", onHistory)
  doc.defaultView?.addEventListener("pageshow", onShow)
  reportPageIfChanged()
  detector.scan()

  let queue: Promise<unknown> = Promise.resolve()
  port.onDeliver((request) => {
    const result = queue.then(() => deliver(adapter, doc, request, options.delivery))
    queue = result.catch(() => undefined)
    return result.catch((error: unknown): DeliverResult => ({
      ok: false,
      reason: "send_failed",
      message: error instanceof Error ? error.message : String(error)
    }))
  })

  return {
    stop: (): void => {
      observer.disconnect()
      clearTimeout(scanTimer)
      detector.stop()
      doc.defaultView?.removeEventListener("popstate", onHistory)
      doc.defaultView?.removeEventListener("pageshow", onShow)
    }
  }
}
