/** The API's objects as the dashboard reads them (`docs/api.md`); only the fields it shows. */

export type AutomationStatus = "manual" | "auto" | "paused"
export type JobStatus = "pending" | "running" | "done" | "failed"
export const JOB_STATUSES: ReadonlyArray<JobStatus> = ["pending", "running", "done", "failed"]
export const AUTOMATION_STATUSES: ReadonlyArray<AutomationStatus> = ["manual", "auto", "paused"]

export interface SystemState {
  readonly automation: "running" | "paused" | "draining"
  readonly node_id: string
  readonly role: string
  readonly started_at: number
  readonly version: string
  /** `GET /v1/system/state` only; the switches answer without them. */
  readonly leader?: { readonly node_id: string; readonly term: number; readonly lease_until: number } | null
  readonly nodes?: ReadonlyArray<
    {
      readonly node_id: string
      readonly role: string
      readonly leader: boolean
      readonly clients: ReadonlyArray<string>
    }
  >
}

export interface Tick {
  readonly batch_id: string
  readonly trigger: string
  readonly started_at: number
  readonly finished_at: number | null
  readonly result: string
  readonly details?: unknown
}

export interface Runner {
  readonly name: string
  readonly interval_ms: number
  readonly last_tick: Tick | null
}

export interface Client {
  readonly client_id: string
  readonly connection_id: string
  readonly platforms: ReadonlyArray<string>
  readonly connected_at: number
  readonly last_seen_at: number
  readonly status: "fresh" | "stale" | "lost"
}

export interface Conversation {
  readonly local_conversation_id: string
  readonly platform: string
  readonly automation_status: AutomationStatus
  readonly paused_at: number | null
  readonly last_message_id: string | null
  readonly last_message_at: number | null
  readonly created_at: number
  readonly updated_at: number
}

export interface ConversationDetail extends Conversation {
  readonly active_link: {
    readonly page_url: string | null
    readonly target_id: string | null
    readonly client_id: string
  } | null
}

export interface Job {
  readonly job_id: string
  readonly local_conversation_id: string
  readonly message_id: string
  readonly status: JobStatus
  readonly payload_text: string | null
  readonly attempt_count: number
  readonly max_attempts: number
  readonly next_attempt_at: number | null
  readonly last_attempt_at: number | null
  readonly last_error: string | null
  readonly log_path: string | null
  readonly finished_at: number | null
  readonly created_at: number
  readonly updated_at: number
}

export interface Message {
  readonly message_id: string
  readonly platform: string
  readonly conversation_id: string
  readonly local_conversation_id: string | null
  readonly role: string
  readonly raw_text: string
  readonly observed_at: number
  readonly seq: number
  readonly decision: "undecided" | "job_created" | "skipped"
  readonly skip_reason: string | null
  readonly job_id: string | null
  readonly decided_at: number | null
}

export interface LogLine {
  readonly ts: number
  readonly runner: string
  readonly batch_id: string
  readonly stage: string
  readonly result: string
  readonly details?: Record<string, unknown>
}

/** A list page: `total` counts every match (older daemons answer only `count`). */
export type Page<K extends string, A> =
  & { readonly count: number; readonly total?: number }
  & { readonly [key in K]: ReadonlyArray<A> }

/** One event of `GET /v1/events`. */
export interface LiveEvent {
  readonly type: string
  readonly seq: number
  readonly at: number
  readonly [field: string]: unknown
}
