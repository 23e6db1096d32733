/** The fixture sites as the browser test drives them: routes, and the pages' test hooks. */
import type { Page } from "playwright-core"

export type Platform = "chatgpt" | "claude" | "gemini"

export const SITES: ReadonlyArray<{ platform: Platform; host: string; path: (id: string) => string }> = [
  { platform: "chatgpt", host: "chatgpt.com", path: (id) => `/c/${id}` },
  { platform: "claude", host: "claude.ai", path: (id) => `/chat/${id}` },
  { platform: "gemini", host: "gemini.google.com", path: (id) => `/app/${id}` }
]

/** One conversation open in a tab, and the daemon's local conversation for it once known. */
export interface Tab {
  readonly platform: Platform
  readonly page: Page
  readonly conversationId: string
  localId: string
}

interface FixtureWindow {
  readonly __sent: Array<string>
  readonly __fixture: {
    streamReply(text: string, options: { chunks: number; intervalMs: number }): Promise<string>
    setBusy(ms: number): void
  }
}

/** Line breaks come out of a composer in several shapes; compare texts by their words. */
export const squash = (text: string) => text.replace(/\s+/g, " ").trim()

/** Every text the page's composer sent, in order. */
export const sent = (tab: Tab) => tab.page.evaluate(() => (window as unknown as FixtureWindow).__sent)

/** Streams an assistant reply in four chunks and resolves when it is complete on the page. */
export const stream = (tab: Tab, text: string) =>
  tab.page.evaluate(
    (text) => (window as unknown as FixtureWindow).__fixture.streamReply(text, { chunks: 4, intervalMs: 120 }),
    text
  )

/** Shows the site's "generating" state for `ms` (0 ends it). */
export const setBusy = (tab: Tab, ms: number) =>
  tab.page.evaluate((ms) => (window as unknown as FixtureWindow).__fixture.setBusy(ms), ms)
