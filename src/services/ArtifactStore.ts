import { Context, type Effect, type Option } from "effect"
import type {
  AutomationStatus,
  ClientId,
  ConversationLink,
  JobAlreadyExists,
  JobId,
  JobStatus,
  JobStatusConflict,
  InvalidStoreInput,
  LocalConversation,
  LocalConversationId,
  Message,
  MessageId,
  NewMessage,
  PayloadKind,
  Platform,
  RecordNotFound,
  RemoteConversationId,
  RenewalJob,
  SystemAutomation,
  TargetSnapshot
} from "../domain/index.js"

export interface Page {
  readonly limit: number
  readonly offset: number
}

/** Filters of `GET /v1/renewal/conversations`; newest `updated_at` first. */
export interface ConversationFilter extends Page {
  readonly platform?: Platform | undefined
  readonly status?: AutomationStatus | undefined
}

/** Filters of `GET /v1/renewal/links`; newest `observed_at` first. */
export interface LinkFilter extends Page {
  readonly platform?: Platform | undefined
  readonly remote_conversation_id?: RemoteConversationId | undefined
  readonly client_id?: ClientId | undefined
  readonly local_conversation_id?: LocalConversationId | undefined
  readonly is_active?: boolean | undefined
}

/** Filters of `GET /v1/renewal/jobs`; newest `created_at` first. */
export interface JobFilter extends Page {
  readonly status?: JobStatus | undefined
  readonly local_conversation_id?: LocalConversationId | undefined
  readonly message_id?: MessageId | undefined
}

export interface ConversationKey {
  readonly platform: Platform
  readonly remote_conversation_id: RemoteConversationId
}

export interface NewConversation extends ConversationKey {
  readonly automation_status: AutomationStatus
  /** Daemon-assigned (`lc_…`) unless given. */
  readonly local_conversation_id?: LocalConversationId | undefined
}

/** A link as observed; the store stamps `created_at`/`updated_at` and makes it the active one. */
export type LinkInput = Omit<ConversationLink, "is_active" | "created_at" | "updated_at">

export interface NewJob {
  readonly job_id?: JobId | undefined
  readonly local_conversation_id: LocalConversationId
  readonly message_id: MessageId
  readonly payload_kind: PayloadKind
  readonly payload: string
  readonly target_snapshot: TargetSnapshot | null
  readonly max_attempts: number
  readonly next_attempt_at: number
}

/** Fields a job update may set; the store stamps `updated_at`. */
export type JobPatch = Partial<
  Pick<
    RenewalJob,
    | "status"
    | "attempt_count"
    | "max_attempts"
    | "next_attempt_at"
    | "last_attempt_at"
    | "last_error"
    | "log_path"
    | "started_at"
    | "finished_at"
    | "target_snapshot"
  >
>

/** Pending jobs waiting past `now` become due at `now`; all of them, or one conversation's. */
export interface DueNowRequest {
  readonly now: number
  readonly local_conversation_id?: LocalConversationId | undefined
}

/** Who claims: recovery finds the jobs an earlier run of this node left `running`. */
export interface Claimant {
  readonly node_id: string
  readonly run_id: string
}

export interface ClaimRequest extends Claimant {
  readonly now: number
  readonly limit: number
}

/** The claim a dispatcher holds on a running job: who took it, in which run, at what time. */
export interface JobClaim extends Claimant {
  readonly claimed_at: number
}

/** Which running jobs are stale, and how a recovered one is stamped. */
export interface StaleRecovery extends Claimant {
  /** Any job claimed before this is stale whoever holds it. */
  readonly claimed_before: number
  readonly now: number
  /** The retryable code the lost attempt is recorded with. */
  readonly last_error: string
  /** Kept when the job already has one. */
  readonly log_path: string
}

/** `browser.final_message` as one unit: message, conversation and active link. */
export interface Observation {
  readonly message: NewMessage
  readonly default_status: AutomationStatus
  readonly link: Omit<LinkInput, "local_conversation_id" | "link_id" | "remote_conversation_id" | "platform">
}

export interface ObservationResult {
  readonly message: Message
  readonly duplicate: boolean
  readonly conversation: LocalConversation
  readonly link: ConversationLink
}

/**
 * Durable state of the daemon. SQLite today; the interface keeps room for PostgreSQL.
 * Every operation is atomic; `SqlError`s are defects, input the store refuses is typed.
 */
export interface ArtifactStoreService {
  /** Idempotent on `id`: a second report changes nothing and says `duplicate`. */
  readonly insertMessage: (
    message: NewMessage
  ) => Effect.Effect<{ readonly message: Message; readonly duplicate: boolean }, InvalidStoreInput>
  /** Messages with `seq > after`, in `seq` order. */
  readonly messagesAfter: (after: number, limit: number) => Effect.Effect<ReadonlyArray<Message>>

  readonly findConversation: (key: ConversationKey) => Effect.Effect<Option.Option<LocalConversation>>
  readonly findOrCreateConversation: (
    input: NewConversation
  ) => Effect.Effect<{ readonly conversation: LocalConversation; readonly created: boolean }, InvalidStoreInput>
  readonly getConversation: (id: LocalConversationId) => Effect.Effect<Option.Option<LocalConversation>>
  readonly listConversations: (filter: ConversationFilter) => Effect.Effect<ReadonlyArray<LocalConversation>>
  /** Sets `paused_at` when switched to `paused`, clears it when switched away; same status is a no-op. */
  readonly setAutomationStatus: (
    id: LocalConversationId,
    status: AutomationStatus
  ) => Effect.Effect<LocalConversation, RecordNotFound | InvalidStoreInput>

  /** Upserts the link and makes it its conversation's only active link. */
  readonly upsertLink: (link: LinkInput) => Effect.Effect<ConversationLink, InvalidStoreInput>
  /** This client's links on that tab stop being active; returns how many. */
  readonly deactivateTabLinks: (client_id: ClientId, tab_id: number) => Effect.Effect<number>
  readonly activeLink: (id: LocalConversationId) => Effect.Effect<Option.Option<ConversationLink>>
  readonly listLinks: (filter: LinkFilter) => Effect.Effect<ReadonlyArray<ConversationLink>>

  /** Stores a final message, finds or creates its conversation, and upserts the active link, in one transaction. */
  readonly recordObservation: (observation: Observation) => Effect.Effect<ObservationResult, InvalidStoreInput>

  readonly insertJob: (job: NewJob) => Effect.Effect<RenewalJob, JobAlreadyExists | InvalidStoreInput>
  readonly getJob: (id: JobId) => Effect.Effect<Option.Option<RenewalJob>>
  readonly listJobs: (filter: JobFilter) => Effect.Effect<ReadonlyArray<RenewalJob>>
  /**
   * Compare-and-set for operator actions on jobs that are not in flight: applies `patch` only
   * while the job is still in `from`, in one statement, so a claim or another operator's action
   * landing first is reported, never overwritten.
   */
  readonly transitionJob: (
    id: JobId,
    from: JobStatus,
    patch: JobPatch
  ) => Effect.Effect<RenewalJob, RecordNotFound | JobStatusConflict | InvalidStoreInput>
  /**
   * `failed` → `pending` due at `now`, `finished_at` cleared, `max_attempts` raised to allow one
   * more attempt when they were spent: one compare-and-set statement, computed from the row as
   * it is, never from an earlier read.
   */
  readonly retryFailedJob: (id: JobId, now: number) => Effect.Effect<RenewalJob, RecordNotFound | JobStatusConflict>
  /**
   * Compare-and-set for the dispatcher: applies `patch` only while the job is still `running`
   * under `claim`. None when the claim was lost (the job was recovered, re-claimed or finished
   * by another dispatcher): the write changes nothing.
   */
  readonly updateClaimedJob: (
    id: JobId,
    claim: JobClaim,
    patch: JobPatch
  ) => Effect.Effect<Option.Option<RenewalJob>, InvalidStoreInput>
  /** One set-based update; returns how many pending jobs were waiting and are now due. */
  readonly makePendingJobsDue: (request: DueNowRequest) => Effect.Effect<number>
  /**
   * Atomically moves up to `limit` due pending jobs (oldest due first) to `running`, recording
   * the claimant. Skips conversations that already have a running job, and takes at most one
   * job per conversation, so jobs of one conversation are never in flight together.
   */
  readonly claimDueJobs: (request: ClaimRequest) => Effect.Effect<ReadonlyArray<RenewalJob>>
  /**
   * One statement over the running jobs left by an earlier run of this node or claimed before
   * `claimed_before`: each counts the lost attempt with `last_error` and is due at `now`, or
   * `failed` when its attempts are spent. Returns the jobs as recovered; two dispatchers
   * recovering at once each get a disjoint share.
   */
  readonly recoverStaleJobs: (request: StaleRecovery) => Effect.Effect<ReadonlyArray<RenewalJob>>

  readonly projectorCursor: Effect.Effect<number>
  /** Inserts the jobs and advances the cursor in one transaction: both or neither. */
  readonly commitProjection: (
    cursor: number,
    jobs: ReadonlyArray<NewJob>
  ) => Effect.Effect<ReadonlyArray<RenewalJob>, JobAlreadyExists | InvalidStoreInput>

  readonly systemAutomation: Effect.Effect<SystemAutomation>
  readonly setSystemAutomation: (state: SystemAutomation) => Effect.Effect<SystemAutomation>
}

export class ArtifactStore extends Context.Tag("baa-conductor/ArtifactStore")<ArtifactStore, ArtifactStoreService>() {}
