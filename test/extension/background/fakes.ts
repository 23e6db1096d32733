/** Plain fakes of the WebExtension APIs the background uses. */
import type { KeyValueArea, Logger, TabsPort } from "../../../extension/src/background/ports.js"
import type { DeliverResult } from "../../../extension/src/shared/messages.js"

export const memoryArea = (initial: Record<string, unknown> = {}) => {
  const data = new Map(Object.entries(structuredClone(initial)))
  const area: KeyValueArea & { readonly data: Map<string, unknown> } = {
    data,
    get: async (key) => (data.has(key) ? { [key]: structuredClone(data.get(key)) } : {}),
    set: async (items) => {
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v))
    }
  }
  return area
}

export const recordingLog = () => {
  const warnings: Array<ReadonlyArray<unknown>> = []
  const log: Logger & { readonly warnings: typeof warnings } = {
    warnings,
    info: () => undefined,
    warn: (...args) => void warnings.push(args)
  }
  return log
}

/** Tabs by id; each answers deliveries with `answer` (a function may throw like an absent content script). */
export const fakeTabs = (tabs: Record<number, { url: string; answer: () => DeliverResult | undefined }>) => {
  const sent: Array<{ tabId: number; message: unknown }> = []
  const port: TabsPort & { readonly sent: typeof sent } = {
    sent,
    get: async (tabId) => {
      const tab = tabs[tabId]
      if (tab === undefined) throw new Error(`No tab with id: ${tabId}.`)
      return { id: tabId, url: tab.url }
    },
    sendMessage: async (tabId, message) => {
      const tab = tabs[tabId]
      if (tab === undefined) throw new Error(`No tab with id: ${tabId}.`)
      sent.push({ tabId, message })
      return tab.answer()
    }
  }
  return port
}
