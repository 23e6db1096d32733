import { Context, type Effect, type Either, type Option } from "effect"
import type {
  AttemptClaimRequest,
  AutomationStatus,
  ClaimRequest,
  ClientId,
  ConversationFilter,
  ConversationKey,
  ConversationLink,
  DueNowRequest,
  InvalidStoreInput,
  JobAlreadyExists,
  JobClaim,
  JobFilter,
  JobId,
  JobPatch,
  JobStatus,
  JobStatusConflict,
  LinkFilter,
  LinkInput,
  LocalConversation,
  LocalConversationId,
  Message,
  MessageFilter,
  MessageId,
  MessageRecord,
  NewConversation,
  NewJob,
  NewMessage,
  ProjectionDecision,
  RecordNotFound,
  RenewalJob,
  StaleRecovery,
  StoredJob,
  SystemAutomation
} from "../domain/index.js"

// The store's inputs are domain schemas, defined once there; re-exported for the store's callers.
export type {
  AttemptClaimRequest,
  Claimant,
  ClaimRequest,
  ConversationFilter,
  ConversationKey,
  DueNowRequest,
  JobClaim,
  JobFilter,
  JobPatch,
  LinkFilter,
  LinkInput,
  MessageFilter,
  NewConversation,
  NewJob,
  Page,
  StaleRecovery
} from "../domain/index.js"

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
  /** The conversation was created by this observation. */
  readonly conversation_created: boolean
  readonly link: ConversationLink
}

/**
 * Durable state of the daemon. SQLite today; the interface keeps room for PostgreSQL.
 * Every operation is atomic; `SqlError`s are defects, input the store refuses is typed.
 */
/** A job the dispatcher claimed and started an attempt of, with what it decides the job by. */
export interface ClaimedAttempt {
  /** Running under the claim, its attempt started (`started_at`, `last_attempt_at` = the claim's `now`). */
  readonly job: RenewalJob
  /** The attempt fields before the claim, for a job the dispatcher then decides not to attempt. */
  readonly previous: Pick<RenewalJob, "started_at" | "last_attempt_at" | "finished_at">
  readonly conversation: Option.Option<LocalConversation>
  /** The conversation's active link, whose target the job's `target_snapshot` now holds. */
  readonly link: Option.Option<ConversationLink>
}

export interface ArtifactStoreService {
  /** Idempotent on `id`: a second report changes nothing and says `duplicate`. */
  readonly insertMessage: (
    message: NewMessage
  ) => Effect.Effect<{ readonly message: Message; readonly duplicate: boolean }, InvalidStoreInput>
  /** Messages with `seq > after`, in `seq` order. */
  readonly messagesAfter: (after: number, limit: number) => Effect.Effect<ReadonlyArray<Message>>
  /** A message with its conversation and the projector's decision. */
  readonly getMessage: (id: MessageId) => Effect.Effect<Option.Option<MessageRecord>>
  /** Newest `seq` first. */
  readonly listMessages: (filter: MessageFilter) => Effect.Effect<ReadonlyArray<MessageRecord>>
  /** How many messages the filter matches, ignoring the page. */
  readonly countMessages: (filter: MessageFilter) => Effect.Effect<number>

  readonly findConversation: (key: ConversationKey) => Effect.Effect<Option.Option<LocalConversation>>
  readonly findOrCreateConversation: (
    input: NewConversation
  ) => Effect.Effect<{ readonly conversation: LocalConversation; readonly created: boolean }, InvalidStoreInput>
  readonly getConversation: (id: LocalConversationId) => Effect.Effect<Option.Option<LocalConversation>>
  readonly listConversations: (filter: ConversationFilter) => Effect.Effect<ReadonlyArray<LocalConversation>>
  readonly countConversations: (filter: ConversationFilter) => Effect.Effect<number>
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
  readonly countLinks: (filter: LinkFilter) => Effect.Effect<number>

  /** Stores a final message, finds or creates its conversation, and upserts the active link, in one transaction. */
  readonly recordObservation: (observation: Observation) => Effect.Effect<ObservationResult, InvalidStoreInput>

  readonly insertJob: (job: NewJob) => Effect.Effect<RenewalJob, JobAlreadyExists | InvalidStoreInput>
  readonly getJob: (id: JobId) => Effect.Effect<Option.Option<RenewalJob>>
  readonly listJobs: (filter: JobFilter) => Effect.Effect<ReadonlyArray<RenewalJob>>
  /**
   * The page `listJobs` reads, rows checked but not decoded, for readers that only pass them on;
   * a page with a row that fails the check (corrupt) comes back decoded and salvaged instead.
   */
  readonly listStoredJobs: (
    filter: JobFilter
  ) => Effect.Effect<Either.Either<ReadonlyArray<StoredJob>, ReadonlyArray<RenewalJob>>>
  readonly countJobs: (filter: JobFilter) => Effect.Effect<number>
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
   * `claimDueJobs` that also starts each claimed job's attempt (`started_at` and
   * `last_attempt_at` = `now`, `next_attempt_at` and `finished_at` cleared, `log_path` kept or
   * set, `target_snapshot` from the active link) and reads each one's conversation and active
   * link: a few set-based statements for the whole batch, in one transaction where the store
   * allows. A quarantined job comes back failed, as `claimDueJobs` returns it.
   */
  readonly claimAttempts: (request: AttemptClaimRequest) => Effect.Effect<ReadonlyArray<ClaimedAttempt>>
  /**
   * One statement over the running jobs left by an earlier run of this node or claimed before
   * `claimed_before`: each counts the lost attempt with `last_error` and is due at `now`, or
   * `failed` when its attempts are spent. Returns the jobs as recovered; two dispatchers
   * recovering at once each get a disjoint share.
   */
  readonly recoverStaleJobs: (request: StaleRecovery) => Effect.Effect<ReadonlyArray<RenewalJob>>
  /** The earliest `next_attempt_at` of a pending job due after `now`, or null: one index probe. */
  readonly nextDueAfter: (now: number) => Effect.Effect<number | null>

  readonly projectorCursor: Effect.Effect<number>
  /** Inserts the jobs, records the decisions on their messages and advances the cursor in one transaction. */
  readonly commitProjection: (
    cursor: number,
    jobs: ReadonlyArray<NewJob>,
    decisions?: ReadonlyArray<ProjectionDecision>
  ) => Effect.Effect<ReadonlyArray<RenewalJob>, JobAlreadyExists | InvalidStoreInput>

  readonly systemAutomation: Effect.Effect<SystemAutomation>
  readonly setSystemAutomation: (state: SystemAutomation) => Effect.Effect<SystemAutomation>
}

export class ArtifactStore extends Context.Tag("baa-conductor/ArtifactStore")<ArtifactStore, ArtifactStoreService>() {}
