import type { SiteAdapter } from "./adapter.js"
import { messageIdFor } from "./messageId.js"
import type { ReportedIds } from "./reportedIds.js"
import { visibleText } from "./text.js"

export interface FinalReply {
  readonly conversationId: string
  readonly messageId: string
  readonly text: string
}

export interface FinalReplyOptions {
  /** How long a finished reply's text must stay unchanged before it counts as final. */
  readonly quietMs: number
  readonly now: () => number
  readonly conversationId: () => string | null
}

interface Tracked {
  /** The raw text content: comparing it needs no layout, unlike the rendered text reported. */
  content: string
  changedAt: number
  /** Seen being generated on this page: only such replies are ever reported. */
  live: boolean
  done: boolean
}

/**
 * Decides when an assistant reply is final. A reply is reported only if this page watched it
 * being generated: it was the last reply while the site showed it generating, or it appeared
 * empty and then filled in. Replies already complete when they appear — the history on load, a
 * thread opened from the sidebar, a lazily loaded older page, a re-mounted element — are never
 * reported. That is what a user expects (opening an old chat must not start a renewal for a
 * reply read days ago), and it needs no guess about when an SPA has finished rendering history,
 * which a "skip what is there at load" rule would. A reply still streaming at load is reported
 * when it finishes. Reported ids are remembered per conversation as a second guard.
 */
export const finalReplyDetector = (
  adapter: SiteAdapter,
  doc: Document,
  reported: ReportedIds,
  options: FinalReplyOptions,
  onFinal: (reply: FinalReply) => void
) => {
  const tracked = new Map<Element, Tracked>()
  let generatingSinceScan = false
  let timer: ReturnType<typeof setTimeout> | undefined

  const isGenerating = () => doc.querySelector(adapter.selectors.generating) !== null
  const textOf = (element: Element) => (adapter.messageText?.(element) ?? visibleText(element)).trim()
  const contentOf = (element: Element) => (element.textContent ?? "").trim()

  const scan = (): void => {
    const now = options.now()
    const generating = isGenerating()
    const sawGenerating = generating || generatingSinceScan
    generatingSinceScan = false
    for (const element of tracked.keys()) if (!element.isConnected) tracked.delete(element)
    const messages = Array.from(doc.querySelectorAll(adapter.selectors.assistantMessage))
    const last = messages[messages.length - 1]
    if (last !== undefined && !tracked.has(last)) {
      const content = contentOf(last)
      // complete on arrival and nothing generating: history, never reported
      const done = !sawGenerating && content !== ""
      tracked.set(last, { content, changedAt: now, live: sawGenerating, done })
    }
    const conversationId = options.conversationId()
    let nextCheck = Number.POSITIVE_INFINITY
    messages.forEach((element, position) => {
      const entry = tracked.get(element)
      if (entry === undefined || entry.done) return
      const content = contentOf(element)
      if (content !== entry.content) {
        if (entry.content === "") entry.live = true
        entry.content = content
        entry.changedAt = now
      }
      if (!entry.live || generating || content === "" || conversationId === null) return
      const quietAt = entry.changedAt + options.quietMs
      if (now < quietAt) {
        nextCheck = Math.min(nextCheck, quietAt)
        return
      }
      entry.done = true
      const text = textOf(element)
      if (text === "") return
      const messageId = messageIdFor(adapter, element, conversationId, position)
      if (reported.has(conversationId, messageId)) return
      reported.add(conversationId, messageId)
      onFinal({ conversationId, messageId, text })
    })
    clearTimeout(timer)
    timer = nextCheck === Number.POSITIVE_INFINITY ? undefined : setTimeout(scan, nextCheck - now)
  }

  return {
    scan,
    /** For every mutation batch, before the (throttled) scan: a short generation is not missed. */
    noteMutation: (): void => {
      if (!generatingSinceScan && isGenerating()) generatingSinceScan = true
    },
    stop: (): void => clearTimeout(timer)
  }
}
