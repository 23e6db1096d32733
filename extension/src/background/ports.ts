/**
 * The small part of the WebExtension API the background uses, so its modules can be tested with
 * plain fakes. `webextension-polyfill`'s `browser` satisfies every one of these.
 */
import type { BackgroundToContent, DeliverResult } from "../shared/messages.js"

export interface KeyValueArea {
  get(key: string): Promise<Record<string, unknown>>
  set(items: Record<string, unknown>): Promise<void>
}

export interface TabsPort {
  /** Rejects when the tab does not exist. */
  get(tabId: number): Promise<{ readonly id?: number; readonly url?: string }>
  /** Rejects when no content script listens in the tab. */
  sendMessage(tabId: number, message: BackgroundToContent): Promise<DeliverResult | undefined>
}

export interface Logger {
  info(...args: ReadonlyArray<unknown>): void
  warn(...args: ReadonlyArray<unknown>): void
}
