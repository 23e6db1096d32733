/**
 * Background entry: a service worker in Chromium, a background script in Firefox. Listeners are
 * registered synchronously at the top level, as MV3 requires for a worker woken by an event;
 * they wait for the background to finish loading its stored state.
 */
import browser from "webextension-polyfill"
import { startBackground } from "./background.js"
import { loadClientId } from "./clientId.js"
import type { SocketLike } from "./connection.js"
import type { TabsPort } from "./ports.js"
import { SETTINGS_KEY } from "./settings.js"

const KEEPALIVE_ALARM = "baa-keepalive"

const browserName = browser.runtime.getURL("").startsWith("moz-extension:") ? "firefox" : "chromium"

const background = loadClientId(browser.storage.local, browserName).then((clientId) =>
  startBackground({
    local: browser.storage.local,
    session: browser.storage.session,
    tabs: browser.tabs as unknown as TabsPort,
    clientId,
    version: browser.runtime.getManifest().version,
    log: console,
    openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    fetch: (url, init) => fetch(url, init)
  })
)
background.catch((error: unknown) => console.error("baa-conductor: the background failed to start", error))

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) =>
  background.then((bg) => bg.contentMessage(message, sender.tab?.id))
)

browser.tabs.onRemoved.addListener((tabId) => {
  void background.then((bg) => bg.tabRemoved(tabId))
})

// Without the "tabs" permission a tab's URL is only visible on the sites' hosts, so a tab that
// starts loading elsewhere shows no URL: that is exactly "it left the conversation".
browser.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.status !== "loading" && change.url === undefined) return
  void background.then((bg) => bg.tabNavigated(tabId, change.url ?? tab.url ?? ""))
})

browser.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && SETTINGS_KEY in changes) void background.then((bg) => bg.settingsChanged())
})

// Wakes a suspended background (Firefox event page, Chromium worker after a long silence) so it
// reconnects even when nothing happens in the tabs.
void browser.alarms.create(KEEPALIVE_ALARM, { periodInMinutes: 0.5 })
browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === KEEPALIVE_ALARM) void background.then((bg) => bg.wake())
})
browser.runtime.onStartup.addListener(() => undefined)
