import { Effect, Option } from "effect"
import {
  type AutomationStatus,
  ClientId,
  JobId,
  type LocalConversationId,
  MessageId,
  type PayloadKind,
  RemoteConversationId,
  type Role,
  routeOf
} from "../../src/domain/index.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"

export interface Seen {
  readonly conversation: string
  readonly message_id: string
  readonly observed_at: number
  readonly platform?: string
  readonly role?: Role
  readonly text?: string
  readonly client_id?: string
  readonly tab_id?: number | null
  readonly shell_page?: boolean
  readonly status?: AutomationStatus
}

const pageOf = (platform: string, conversation: string) =>
  platform === "claude" ? `https://claude.ai/chat/${conversation}` : `https://chatgpt.com/c/${conversation}`

/** What `browser.final_message` stores: the message, its conversation (status as given) and active link. */
export const observe = (seen: Seen) =>
  Effect.gen(function*() {
    const store = yield* ArtifactStore
    const platform = seen.platform ?? "chatgpt"
    const client_id = seen.client_id ?? `firefox-${platform}`
    const page_url = pageOf(platform, seen.conversation)
    const route = routeOf(platform, page_url)
    const tab = seen.tab_id === undefined ? 17 : seen.tab_id
    const result = yield* store.recordObservation({
      message: {
        id: MessageId.make(seen.message_id),
        platform,
        conversation_id: RemoteConversationId.make(seen.conversation),
        role: seen.role ?? "assistant",
        raw_text: seen.text ?? `reply ${seen.message_id}`,
        observed_at: seen.observed_at
      },
      default_status: seen.status ?? "auto",
      link: {
        client_id: ClientId.make(client_id),
        page_url,
        page_title: `Title ${seen.conversation}`,
        route_path: route.path,
        route_pattern: route.pattern,
        route_params: route.params,
        target_kind: "browser.proxy_delivery",
        target_id: tab === null ? null : `tab:${tab}`,
        target_payload: {
          client_id,
          conversation_id: seen.conversation,
          page_url,
          ...(tab === null ? {} : { tab_id: tab }),
          ...(seen.shell_page === undefined ? {} : { shell_page: seen.shell_page })
        },
        observed_at: seen.observed_at
      }
    })
    return result
  }).pipe(Effect.orDie)

export interface SeedJob {
  readonly job_id: string
  readonly local_conversation_id: LocalConversationId
  readonly message_id: string
  readonly payload: string
  readonly payload_kind?: PayloadKind
  readonly next_attempt_at: number
  readonly max_attempts?: number
}

export const insertJob = (job: SeedJob) =>
  ArtifactStore.pipe(
    Effect.flatMap((store) =>
      store.insertJob({
        job_id: JobId.make(job.job_id),
        local_conversation_id: job.local_conversation_id,
        message_id: MessageId.make(job.message_id),
        payload_kind: job.payload_kind ?? "text",
        payload: job.payload,
        target_snapshot: null,
        max_attempts: job.max_attempts ?? 3,
        next_attempt_at: job.next_attempt_at
      })
    ),
    Effect.orDie
  )

export const getJob = (id: string) =>
  ArtifactStore.pipe(
    Effect.flatMap((store) => store.getJob(JobId.make(id))),
    Effect.map(Option.getOrThrow)
  )

/** A conversation with one observed message and one due job, the usual start of a dispatcher test. */
export const conversationWithJob = (
  name: string,
  at: number,
  options: Partial<Seen> & Partial<Omit<SeedJob, "local_conversation_id">> = {}
) =>
  Effect.gen(function*() {
    const seen = yield* observe({
      conversation: `conv_${name}`,
      message_id: `msg_${name}`,
      observed_at: at - 60_000,
      ...options
    })
    yield* insertJob({
      job_id: `job_${name}`,
      local_conversation_id: seen.conversation.local_conversation_id,
      message_id: `msg_${name}`,
      payload: options.payload ?? `[renewal] ${name}`,
      next_attempt_at: options.next_attempt_at ?? at,
      ...(options.payload_kind === undefined ? {} : { payload_kind: options.payload_kind }),
      ...(options.max_attempts === undefined ? {} : { max_attempts: options.max_attempts })
    })
    return seen
  })

/** The job of `message_id` once it is no longer `running` (its delivery fiber wrote its outcome). */
export const untilFinished = (message_id: string) =>
  Effect.gen(function*() {
    const store = yield* ArtifactStore
    for (;;) {
      const [job] = yield* store.listJobs({ limit: 10, offset: 0, message_id: MessageId.make(message_id) })
      if (job !== undefined && job.status !== "running") return job
      yield* Effect.yieldNow()
    }
  })
