/** The replies already reported, per conversation, so none is reported twice. */
export interface ReportedIds {
  readonly has: (conversationId: string, messageId: string) => boolean
  readonly add: (conversationId: string, messageId: string) => void
}

const keyPrefix = "baa-conductor:reported:"
/** Enough for any thread a tab shows; older ids fall off so storage stays small. */
const perConversation = 300

/**
 * Kept in memory and mirrored to the tab's `sessionStorage`, so a reload of the tab (which runs
 * the script afresh) still knows what it reported. Storage may be missing or full (private
 * modes, quotas): memory alone still prevents doubles for the page's lifetime.
 */
export const reportedIds = (storage: Storage | null): ReportedIds => {
  const memory = new Map<string, Array<string>>()
  const load = (conversationId: string): Array<string> => {
    const cached = memory.get(conversationId)
    if (cached !== undefined) return cached
    let ids: Array<string> = []
    try {
      const raw = storage?.getItem(keyPrefix + conversationId)
      const parsed: unknown = raw ? JSON.parse(raw) : []
      if (Array.isArray(parsed)) ids = parsed.filter((id): id is string => typeof id === "string")
    } catch {
      // unreadable or foreign value: start empty
    }
    memory.set(conversationId, ids)
    return ids
  }
  return {
    has: (conversationId, messageId) => load(conversationId).includes(messageId),
    add: (conversationId, messageId) => {
      const ids = load(conversationId)
      ids.push(messageId)
      if (ids.length > perConversation) ids.splice(0, ids.length - perConversation)
      try {
        storage?.setItem(keyPrefix + conversationId, JSON.stringify(ids))
      } catch {
        // quota or disabled storage: memory still holds it
      }
    }
  }
}
