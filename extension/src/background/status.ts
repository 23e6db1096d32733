/**
 * What the popup shows: the connection's state and each tab's last page. The background keeps
 * both in `storage.session` (gone with the browser session, like the tabs themselves) and the
 * popup reads them from there, so no extra message contract is needed.
 */
import type { PageReport } from "../shared/messages.js"

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "bad_token"

export interface ConnectionStatus {
  readonly state: ConnectionState
  readonly daemon_url: string
  readonly client_id: string
  readonly last_error: string | null
  readonly changed_at: number
}

export const STATUS_KEY = "connection_status"

/** `tab_pages` holds `{ [tabId]: PageReport }`. */
export const TAB_PAGES_KEY = "tab_pages"

export type TabPages = Record<string, PageReport>
