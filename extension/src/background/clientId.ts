/** One stable client id per browser profile, made once and kept in `storage.local`. */
import type { KeyValueArea } from "./ports.js"

export const CLIENT_ID_KEY = "client_id"

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"

const randomSuffix = (): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(8))
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("")
}

/** `chromium-k3x9…` or `firefox-…`: the prefix says which browser a link belongs to. */
export const loadClientId = async (area: KeyValueArea, browserName: "chromium" | "firefox"): Promise<string> => {
  const stored = (await area.get(CLIENT_ID_KEY))[CLIENT_ID_KEY]
  if (typeof stored === "string" && stored !== "") return stored
  const created = `${browserName}-${randomSuffix()}`
  await area.set({ [CLIENT_ID_KEY]: created })
  return created
}
