import { Effect } from "effect"
import {
  type AutomationStatus,
  ClientId,
  LinkId,
  type LocalConversationId,
  MessageId,
  type NewMessage,
  RemoteConversationId,
  type TargetSnapshot
} from "../../src/domain/index.js"
import { ArtifactStore, type NewJob, type Observation } from "../../src/services/ArtifactStore.js"

export const message = (id: string, overrides: Partial<NewMessage> = {}): NewMessage => ({
  id: MessageId.make(id),
  platform: "chatgpt",
  conversation_id: RemoteConversationId.make("conv-1"),
  role: "assistant",
  raw_text: `text of ${id}`,
  observed_at: 1_000,
  ...overrides
})

export const observedLink = (clientId = "client-1", tabId = 7): Observation["link"] => ({
  client_id: ClientId.make(clientId),
  page_url: "https://chatgpt.com/c/conv-1",
  page_title: "A chat",
  route_path: "/c/conv-1",
  route_pattern: "/c/:conversationId",
  route_params: { conversationId: "conv-1" },
  target_kind: "browser.proxy_delivery",
  target_id: `tab:${tabId}`,
  target_payload: {
    client_id: clientId,
    conversation_id: "conv-1",
    page_url: "https://chatgpt.com/c/conv-1",
    tab_id: tabId
  },
  observed_at: 1_000
})

export const observation = (
  msg: NewMessage,
  options: { readonly status?: AutomationStatus; readonly client?: string; readonly tab?: number } = {}
): Observation => ({
  message: msg,
  default_status: options.status ?? "auto",
  link: { ...observedLink(options.client, options.tab), observed_at: msg.observed_at }
})

export const snapshot: TargetSnapshot = {
  link_id: LinkId.make("link_x"),
  platform: "chatgpt",
  client_id: "client-1",
  page_url: "https://chatgpt.com/c/conv-1",
  page_title: null,
  route: { path: "/c/conv-1", pattern: "/c/:conversationId", params: { conversationId: "conv-1" } },
  target: { kind: "browser.proxy_delivery", id: "tab:7", payload: { tab_id: 7 } }
}

export const newJob = (
  local_conversation_id: LocalConversationId,
  messageId: string,
  overrides: Partial<NewJob> = {}
): NewJob => ({
  local_conversation_id,
  message_id: MessageId.make(messageId),
  payload_kind: "text",
  payload: `renew ${messageId}`,
  target_snapshot: null,
  max_attempts: 3,
  next_attempt_at: 0,
  ...overrides
})

/** A conversation of its own, for jobs that only need somewhere to belong. */
export const conversation = (remote: string, status: AutomationStatus = "auto", platform = "chatgpt") =>
  Effect.flatMap(ArtifactStore, (store) =>
    store.findOrCreateConversation({
      platform,
      remote_conversation_id: RemoteConversationId.make(remote),
      automation_status: status
    })).pipe(Effect.map((r) => r.conversation))

/** A finished job's row as the store keeps it: each column's encoded value, in table order. */
export const storedJobRow = {
  job_id: "job_1",
  local_conversation_id: "lc_1",
  message_id: "m_1",
  status: "done",
  payload_kind: "json",
  payload: "{}",
  target_snapshot: null as string | null,
  attempt_count: 1,
  max_attempts: 3,
  next_attempt_at: null,
  last_attempt_at: 5,
  last_error: null,
  log_path: null,
  started_at: 4,
  finished_at: 5 as number | null,
  created_at: 1,
  updated_at: 5
}
