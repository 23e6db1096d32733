/** The toolbar popup: the connection, and the current tab's conversation with its automation switch. */
import browser from "webextension-polyfill"
import { loadSettings, type Settings } from "../background/settings.js"
import { type ConnectionStatus, STATUS_KEY, TAB_PAGES_KEY, type TabPages } from "../background/status.js"
import { ApiError, type AutomationStatus, type Conversation, findConversation, setAutomation } from "./daemonApi.js"
import { renderStatus } from "./render.js"

const $ = (id: string) => document.getElementById(id)!

const STATE_TEXT: Record<ConnectionStatus["state"], string> = {
  connected: "Connected",
  connecting: "Connecting…",
  reconnecting: "Reconnecting…",
  bad_token: "Bad token"
}

const showStatus = async () => {
  const status = (await browser.storage.session.get(STATUS_KEY))[STATUS_KEY] as ConnectionStatus | undefined
  renderStatus($("connection"), status, status === undefined ? "Starting…" : STATE_TEXT[status.state])
}

const showJobs = (conversation: Conversation) => {
  const list = $("jobs")
  list.replaceChildren(
    ...conversation.recent_jobs.map((job) => {
      const item = document.createElement("li")
      const when = new Date(job.created_at).toLocaleTimeString()
      item.textContent = `${when} ${job.status}${job.last_error ? ` (${job.last_error})` : ""}`
      return item
    })
  )
  if (conversation.recent_jobs.length === 0) list.textContent = "No renewal jobs yet."
}

const showConversation = async (settings: Settings) => {
  const box = $("conversation")
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true })
  const pages = (await browser.storage.session.get(TAB_PAGES_KEY))[TAB_PAGES_KEY] as TabPages | undefined
  const page = tab?.id === undefined ? undefined : pages?.[tab.id]
  if (page?.conversation_id == null) {
    box.textContent = "This tab shows no ChatGPT, Claude or Gemini conversation."
    return
  }
  let conversation: Conversation | null
  try {
    conversation = await findConversation(settings, page.platform, page.conversation_id)
  } catch (error) {
    box.textContent = error instanceof ApiError ? error.message : String(error)
    return
  }
  if (conversation === null) {
    box.textContent = "The daemon has not seen a final reply in this conversation yet."
    return
  }
  const found = conversation
  $("conversation-id").textContent = `${page.platform} ${page.conversation_id}`
  for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-status]")) {
    const status = button.dataset["status"] as AutomationStatus
    button.classList.toggle("current", status === found.automation_status)
    button.onclick = () => {
      setAutomation(settings, found.local_conversation_id, status)
        .then(() => showConversation(settings))
        .catch((error: unknown) => ($("conversation-error").textContent = String(error)))
    }
  }
  showJobs(found)
  $("automation").hidden = false
}

$("open-options").addEventListener("click", () => void browser.runtime.openOptionsPage())
browser.storage.onChanged.addListener((changes, area) => {
  if (area === "session" && STATUS_KEY in changes) void showStatus()
})
void showStatus()
void loadSettings(browser.storage.local).then(showConversation)
