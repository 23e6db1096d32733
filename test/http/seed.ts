import { Clock, Effect } from "effect"
import {
  type AutomationStatus,
  ClientId,
  JobId,
  type JobStatus,
  type LocalConversationId,
  MessageId,
  RemoteConversationId,
  type RenewalJob
} from "../../src/domain/index.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { forceJob } from "../support/jobRows.js"

let counter = 0
/** A name no other test in the process uses, so tests sharing one store never collide. */
export const unique = (prefix: string) => `${prefix}_${process.pid}_${++counter}`

/** A conversation seen through one assistant reply in tab 7, with its active link. */
export const conversation = (options: { readonly status?: AutomationStatus; readonly platform?: string } = {}) =>
  Effect.gen(function*() {
    const store = yield* ArtifactStore
    const now = yield* Clock.currentTimeMillis
    const remote = unique("conv")
    const platform = options.platform ?? "chatgpt"
    const page_url = `https://chatgpt.com/c/${remote}`
    const result = yield* store.recordObservation({
      message: {
        id: MessageId.make(unique("msg")),
        platform,
        conversation_id: RemoteConversationId.make(remote),
        role: "assistant",
        raw_text: "a final reply",
        observed_at: now
      },
      default_status: options.status ?? "manual",
      link: {
        client_id: ClientId.make(unique("client")),
        page_url,
        page_title: "Title",
        route_path: `/c/${remote}`,
        route_pattern: "/c/:conversationId",
        route_params: { conversationId: remote },
        target_kind: "browser.proxy_delivery",
        target_id: "tab:7",
        target_payload: { client_id: "client", conversation_id: remote, page_url, tab_id: 7 },
        observed_at: now
      }
    })
    return result
  }).pipe(Effect.orDie)

export interface JobSeed {
  readonly status?: JobStatus
  readonly payload_kind?: "text" | "json"
  readonly payload?: string
  readonly attempt_count?: number
  readonly max_attempts?: number
  readonly next_attempt_at?: number | null
}

/** A job for a new message of `local_conversation_id`, then patched into the wanted state. */
export const job = (local_conversation_id: LocalConversationId, seed: JobSeed = {}) =>
  Effect.gen(function*() {
    const store = yield* ArtifactStore
    const now = yield* Clock.currentTimeMillis
    const created = yield* store.insertJob({
      job_id: JobId.make(unique("job")),
      local_conversation_id,
      message_id: MessageId.make(unique("msg")),
      payload_kind: seed.payload_kind ?? "json",
      payload: seed.payload ?? JSON.stringify({ kind: "renewal.message", version: 1, text: "[renewal] hello" }),
      target_snapshot: null,
      max_attempts: seed.max_attempts ?? 3,
      next_attempt_at: now
    })
    const terminal = seed.status === "done" || seed.status === "failed"
    const patched: RenewalJob = yield* forceJob(created.job_id, {
      ...(seed.status === undefined ? {} : { status: seed.status }),
      ...(seed.attempt_count === undefined ? {} : { attempt_count: seed.attempt_count }),
      ...(terminal
        ? { finished_at: now, next_attempt_at: null, last_error: seed.status === "failed" ? "no_active_client" : null }
        : {}),
      ...(seed.next_attempt_at === undefined ? {} : { next_attempt_at: seed.next_attempt_at })
    })
    return patched
  }).pipe(Effect.orDie)
