/**
 * The few HTTP API calls the popup makes (`docs/http-api.md`). The API lives on the same server
 * as the WebSocket; the extension's host permissions for 127.0.0.1 and localhost let these
 * requests through although the daemon sends no CORS headers.
 */
import { httpBase, type Settings } from "../background/settings.js"
import type { Platform } from "../shared/messages.js"

export type AutomationStatus = "manual" | "auto" | "paused"

export interface Conversation {
  readonly local_conversation_id: string
  readonly automation_status: AutomationStatus
  readonly recent_jobs: ReadonlyArray<Job>
}

export interface Job {
  readonly job_id: string
  readonly status: string
  readonly attempt_count: number
  readonly last_error: string | null
  readonly created_at: number
}

export class ApiError extends Error {}

const call = async <A>(settings: Settings, method: "GET" | "POST", path: string): Promise<A> => {
  let response: Response
  try {
    response = await fetch(`${httpBase(settings.daemonUrl)}${path}`, {
      method,
      headers: { authorization: `Bearer ${settings.token}` }
    })
  } catch {
    throw new ApiError(`the daemon at ${httpBase(settings.daemonUrl)} does not answer`)
  }
  const body = (await response.json().catch(() => null)) as { ok?: boolean; data?: A; message?: string } | null
  if (body?.ok !== true) throw new ApiError(body?.message ?? `HTTP ${response.status}`)
  return body.data as A
}

/** The local conversation the daemon keeps for this remote one, or null if it has not seen it. */
export const findConversation = async (
  settings: Settings,
  platform: Platform,
  remoteId: string
): Promise<Conversation | null> => {
  const query = new URLSearchParams({ platform, remote_conversation_id: remoteId, limit: "1" })
  const { links } = await call<{ links: ReadonlyArray<{ local_conversation_id: string }> }>(
    settings,
    "GET",
    `/v1/renewal/links?${query}`
  )
  const link = links[0]
  if (link === undefined) return null
  return call<Conversation>(
    settings,
    "GET",
    `/v1/renewal/conversations/${encodeURIComponent(link.local_conversation_id)}`
  )
}

export const setAutomation = (settings: Settings, localId: string, status: AutomationStatus): Promise<unknown> =>
  call(settings, "POST", `/v1/renewal/conversations/${encodeURIComponent(localId)}/${status}`)
