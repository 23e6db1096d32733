/** Where the daemon is and the token it wants, kept in `storage.local` under one key. */
import type { KeyValueArea } from "./ports.js"

export const DEFAULT_DAEMON_URL = "ws://127.0.0.1:4317/v1/browser/ws"
export const SETTINGS_KEY = "settings"

export interface Settings {
  readonly daemonUrl: string
  readonly token: string
}

export const loadSettings = async (area: KeyValueArea): Promise<Settings> => {
  const stored = (await area.get(SETTINGS_KEY))[SETTINGS_KEY] as Partial<Settings> | undefined
  return {
    daemonUrl: typeof stored?.daemonUrl === "string" && stored.daemonUrl !== "" ? stored.daemonUrl : DEFAULT_DAEMON_URL,
    token: typeof stored?.token === "string" ? stored.token : ""
  }
}

export const saveSettings = (area: KeyValueArea, settings: Settings): Promise<void> =>
  area.set({ [SETTINGS_KEY]: { daemonUrl: settings.daemonUrl.trim(), token: settings.token.trim() } })

/** `ws://host:port/v1/browser/ws` → `http://host:port`: the HTTP API lives on the same server. */
export const httpBase = (daemonUrl: string): string => {
  const url = new URL(daemonUrl)
  url.protocol = url.protocol === "wss:" ? "https:" : "http:"
  return url.origin
}

/** The socket URL with the token as `?token=`: browsers cannot set headers on a WebSocket. */
export const socketUrl = (settings: Settings): string => {
  const url = new URL(settings.daemonUrl)
  url.searchParams.set("token", settings.token)
  return url.toString()
}
