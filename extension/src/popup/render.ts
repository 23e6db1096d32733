/** The connection line both the popup and the options page show. */
import type { ConnectionStatus } from "../background/status.js"

export const renderStatus = (box: HTMLElement, status: ConnectionStatus | undefined, label: string): void => {
  box.className = `status ${status?.state ?? "connecting"}`
  const details = status === undefined ? [] : [status.daemon_url, `client ${status.client_id}`, status.last_error ?? ""]
  box.replaceChildren(
    Object.assign(document.createElement("strong"), { textContent: label }),
    ...details.filter((d) => d !== "").map((d) => Object.assign(document.createElement("div"), { textContent: d }))
  )
}
