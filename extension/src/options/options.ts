/** The settings page: daemon URL and token. Saving them makes the background reconnect. */
import browser from "webextension-polyfill"
import { DEFAULT_DAEMON_URL, loadSettings, saveSettings } from "../background/settings.js"
import { type ConnectionStatus, STATUS_KEY } from "../background/status.js"
import { renderStatus } from "../popup/render.js"

const input = (id: string) => document.getElementById(id) as HTMLInputElement
const form = document.getElementById("settings") as HTMLFormElement

const showStatus = async () => {
  const status = (await browser.storage.session.get(STATUS_KEY))[STATUS_KEY] as ConnectionStatus | undefined
  renderStatus(document.getElementById("connection")!, status, status?.state.replace("_", " ") ?? "starting")
}

const validUrl = (value: string): boolean => {
  try {
    return ["ws:", "wss:"].includes(new URL(value).protocol)
  } catch {
    return false
  }
}

void loadSettings(browser.storage.local).then((settings) => {
  input("daemon-url").value = settings.daemonUrl
  input("daemon-url").placeholder = DEFAULT_DAEMON_URL
  input("token").value = settings.token
})

form.addEventListener("submit", (event) => {
  event.preventDefault()
  const daemonUrl = input("daemon-url").value.trim() || DEFAULT_DAEMON_URL
  const message = document.getElementById("saved")!
  if (!validUrl(daemonUrl)) {
    message.textContent = "The daemon URL must start with ws:// or wss://"
    return
  }
  void saveSettings(browser.storage.local, { daemonUrl, token: input("token").value }).then(() => {
    message.textContent = "Saved; reconnecting."
  })
})

browser.storage.onChanged.addListener((changes, area) => {
  if (area === "session" && STATUS_KEY in changes) void showStatus()
})
void showStatus()
