/**
 * Each tab's last known page, so the daemon hears `browser.tab_closed` when a tab that showed a
 * conversation is closed, moves to another conversation, or leaves the site. Kept in
 * `storage.session`, which outlives a Chromium service worker's restarts but not the browser's.
 */
import type { PageReport } from "../shared/messages.js"
import type { KeyValueArea } from "./ports.js"
import { TAB_PAGES_KEY, type TabPages } from "./status.js"

const hostOf = (url: string): string | null => {
  try {
    return new URL(url).hostname
  } catch {
    return null
  }
}

export class TabTracker {
  /** Updates run one after another: each reads and writes the whole map. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly area: KeyValueArea,
    private readonly closeTab: (tabId: number) => void
  ) {}

  /** A content script reported its page. */
  page(tabId: number, report: PageReport): Promise<void> {
    return this.update((pages) => {
      const before = pages[tabId]
      if (before?.conversation_id != null && before.conversation_id !== report.conversation_id) this.closeTab(tabId)
      pages[tabId] = report
    })
  }

  /** The tab's URL changed: when it left the site, no content script will report it. */
  navigated(tabId: number, url: string): Promise<void> {
    return this.update((pages) => {
      const before = pages[tabId]
      if (before === undefined || hostOf(url) === hostOf(before.page_url)) return
      if (before.conversation_id !== null) this.closeTab(tabId)
      delete pages[tabId]
    })
  }

  removed(tabId: number): Promise<void> {
    return this.update((pages) => {
      if (pages[tabId]?.conversation_id != null) this.closeTab(tabId)
      delete pages[tabId]
    })
  }

  private update(change: (pages: TabPages) => void): Promise<void> {
    const next = this.queue.then(async () => {
      const pages = { ...((await this.area.get(TAB_PAGES_KEY))[TAB_PAGES_KEY] as TabPages | undefined) }
      change(pages)
      await this.area.set({ [TAB_PAGES_KEY]: pages })
    })
    this.queue = next.catch(() => undefined)
    return next
  }
}
